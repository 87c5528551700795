// Dimension files: the org tree, the product catalogue and the chart of accounts.
import { STAFF_ROLES } from '../../server/src/contract/vocabulary.ts';
import type { FileSpec } from '../spec.ts';

export const ORG_LEVELS = ['group', 'division', 'region', 'store'] as const;
export const STORE_TYPES = ['4s', 'non4s', 'used_car', 'other'] as const;

export const orgSpec: FileSpec = {
  file: 'org.csv',
  table: 'dim_org',
  key: ['node_id'],
  columns: [
    { name: 'node_id', type: 'text', required: true },
    { name: 'parent_id', type: 'text' },
    { name: 'level', type: 'text', required: true, oneOf: ORG_LEVELS },
    { name: 'name', type: 'text', required: true },
    { name: 'name_en', type: 'text' },
    { name: 'store_type', type: 'text', oneOf: STORE_TYPES },
    { name: 'province', type: 'text' },
    { name: 'city', type: 'text' },
    { name: 'opened_on', type: 'date' },
    { name: 'owner', type: 'text' },
  ],
  // Parents are looked up among this file's nodes and those already loaded (none for a full
  // extract, which empties the table first), so an incremental
  // extract can add a store under an existing region. Each level must sit right under the one above.
  joins: `LEFT JOIN (
      SELECT node_id, level FROM typed
      UNION ALL BY NAME
      SELECT node_id, level FROM dim_org WHERE node_id NOT IN (SELECT node_id FROM typed)
    ) parent ON parent.node_id = t.parent_id`,
  rules: [
    {
      column: 'parent_id',
      violated: `t.level <> 'group' AND t.parent_id IS NULL`,
      reason: `'a ' || t.level || ' needs a parent_id'`,
    },
    {
      column: 'parent_id',
      violated: `t.level = 'group' AND t.parent_id IS NOT NULL`,
      reason: `'the group root has no parent'`,
    },
    {
      column: 'level',
      violated: `t.level = 'group' AND (EXISTS (SELECT 1 FROM typed g WHERE g.level = 'group' AND g._line < t._line)
        OR EXISTS (SELECT 1 FROM dim_org g WHERE g.level = 'group' AND g.node_id <> t.node_id))`,
      reason: `'a second group root: there is one group'`,
    },
    {
      column: 'parent_id',
      violated: `t.parent_id IS NOT NULL AND parent.node_id IS NULL`,
      reason: `'unknown parent_id "' || t.parent_id || '"'`,
    },
    {
      column: 'parent_id',
      violated: `parent.level IS NOT NULL AND list_position(['group','division','region','store'], parent.level) + 1 <> list_position(['group','division','region','store'], t.level)`,
      reason: `'a ' || t.level || ' cannot sit under a ' || parent.level`,
    },
    {
      column: 'store_type',
      violated: `t.level = 'store' AND t.store_type IS NULL`,
      reason: `'a store needs a store_type'`,
    },
    {
      column: 'store_type',
      violated: `t.level <> 'store' AND t.store_type IS NOT NULL`,
      reason: `'only stores have a store_type'`,
    },
  ],
};

export const productsSpec: FileSpec = {
  file: 'products.csv',
  table: 'dim_product',
  key: ['model_id'],
  columns: [
    { name: 'model_id', type: 'text', required: true },
    { name: 'model_name', type: 'text', required: true },
    { name: 'series', type: 'text', required: true },
    { name: 'brand', type: 'text', required: true },
    { name: 'origin', type: 'text', required: true, oneOf: ['imported', 'domestic'] },
    { name: 'powertrain', type: 'text', required: true, oneOf: ['ice', 'hev', 'phev', 'bev'] },
    { name: 'msrp', type: 'amount', min: 0 },
  ],
};

export const accountsSpec: FileSpec = {
  file: 'accounts.csv',
  table: 'dim_account',
  key: ['account_code'],
  columns: [
    { name: 'account_code', type: 'text', required: true },
    { name: 'account_name', type: 'text', required: true },
    {
      name: 'department',
      type: 'text',
      required: true,
      oneOf: ['new', 'used', 'service', 'parts', 'fi', 'admin'],
    },
    { name: 'kind', type: 'text', required: true, oneOf: ['revenue', 'cogs', 'expense', 'other_income'] },
  ],
};

/** The people of each store (format version 2, optional): whom sales, leads and repair orders name. */
export const staffSpec: FileSpec = {
  file: 'staff.csv',
  table: 'dim_staff',
  key: ['staff_id'],
  since: 2,
  optional: true,
  columns: [
    { name: 'staff_id', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'name', type: 'text', required: true },
    { name: 'role', type: 'text', required: true, oneOf: STAFF_ROLES },
    { name: 'hired_on', type: 'date' },
    { name: 'left_on', type: 'date' },
  ],
  rules: [
    {
      // Person-level figures use '~unassigned' for facts naming nobody known.
      column: 'staff_id',
      violated: `starts_with(t.staff_id, '~')`,
      reason: `'staff_id may not start with ~'`,
    },
    {
      column: 'left_on',
      violated: 't.left_on < t.hired_on',
      reason: `'left_on before hired_on ' || t.hired_on`,
    },
  ],
};

export const dimensionSpecs = [orgSpec, productsSpec, accountsSpec, staffSpec];
