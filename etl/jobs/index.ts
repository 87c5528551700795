// Every file of an extract, in load order: dimensions first, then stock before the sales that
// are checked against it, and repair orders before the parts lines that point at them.
import type { FileSpec } from '../spec.ts';
import { aftersalesSpecs } from './aftersales.ts';
import { customerSpecs } from './customers.ts';
import { dimensionSpecs } from './dimensions.ts';
import { financeSpecs } from './finance.ts';
import { inventorySpecs } from './inventory.ts';
import { salesSpecs } from './sales.ts';

export const FILE_SPECS: readonly FileSpec[] = [
  ...dimensionSpecs,
  ...inventorySpecs,
  ...salesSpecs,
  ...aftersalesSpecs,
  ...customerSpecs,
  ...financeSpecs,
];

export const SPEC_BY_FILE = new Map(FILE_SPECS.map((spec) => [spec.file, spec]));
