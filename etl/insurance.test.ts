// Insurance policies (insurance_policies.csv, extract format version 2, optional): tiny with a
// hand-made policies file — S1's new BMW insured at the sale (commercial and compulsory), S3's BYD
// at its sale, and a renewal at S2 of a policy sold before the extract's window.
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../server/src/db/warehouse.ts';
import { loadExtract } from './load.ts';
import { freshWarehouse, tinyCopy } from './test/helpers.ts';

let warehouse: Warehouse;
afterEach(async () => warehouse?.close());

const rows = async (sql: string) => (await warehouse.knex.raw(sql)).rows as Record<string, unknown>[];

const HEADER =
  'policy_no,store_id,vin,customer_id,insurer,kind,start_date,end_date,premium,commission,renewal_of';
const POLICIES = [
  HEADER,
  'P-0001,S1,LBV3A000000000001,C001,平安保险,commercial,2025-02-15,2026-02-14,8500.00,1275.00,',
  'P-0002,S1,LBV3A000000000001,C001,平安保险,compulsory,2025-02-15,2026-02-14,950.00,38.00,',
  'P-0003,S2,WBA00000000000099,C009,人保财险,commercial,2025-03-10,2026-03-09,6200.00,930.00,P-2024-0777',
  'P-0004,S3,LGXC0000000000004,C003,太平洋保险,commercial,2025-03-01,2026-02-28,5100.00,765.00,',
].join('\n');

describe('insurance_policies.csv', () => {
  it('loads the policies with typed values and hashed customers; a renewal of a policy it does not hold is a warning', async () => {
    warehouse = await freshWarehouse();
    const result = await loadExtract(
      warehouse,
      await tinyCopy({ files: { 'insurance_policies.csv': POLICIES } }),
    );
    expect(result.status).toBe('loaded');
    expect(result.files['insurance_policies.csv']).toEqual({ read: 4, loaded: 4, rejected: 0, warned: 1 });
    expect(
      await rows(`SELECT policy_no, store_id, customer_id, kind, start_date, end_date, premium, commission, renewal_of
        FROM fact_insurance_policies ORDER BY policy_no`),
    ).toEqual([
      {
        policy_no: 'P-0001',
        store_id: 'S1',
        customer_id: '928c6512b3a8a0dc74a93ee63e77842a', // md5('C001'), by md5sum
        kind: 'commercial',
        start_date: '2025-02-15',
        end_date: '2026-02-14',
        premium: 8500,
        commission: 1275,
        renewal_of: null,
      },
      expect.objectContaining({ policy_no: 'P-0002', kind: 'compulsory', premium: 950, commission: 38 }),
      expect.objectContaining({ policy_no: 'P-0003', store_id: 'S2', renewal_of: 'P-2024-0777' }),
      expect.objectContaining({ policy_no: 'P-0004', store_id: 'S3' }),
    ]);
    expect(
      await rows(
        `SELECT file, line, column_name, reason FROM etl.warnings WHERE file = 'insurance_policies.csv'`,
      ),
    ).toEqual([
      {
        file: 'insurance_policies.csv',
        line: 4,
        column_name: 'renewal_of',
        reason: 'unknown policy "P-2024-0777": loaded',
      },
    ]);
  });

  it('rejects a policy that ends before it starts, earns more than its premium, renews itself or names no store, each with its reason', async () => {
    warehouse = await freshWarehouse();
    const bad = [
      POLICIES,
      'P-0005,S1,VIN5,C5,平安保险,commercial,2025-03-01,2025-02-01,100.00,10.00,',
      'P-0006,S1,VIN6,C6,平安保险,commercial,2025-03-01,2026-02-28,100.00,150.00,',
      'P-0007,S1,VIN7,C7,平安保险,commercial,2025-03-01,2026-02-28,100.00,10.00,P-0007',
      'P-0008,S9,VIN8,C8,平安保险,commercial,2025-03-01,2026-02-28,100.00,10.00,',
      'P-0009,S1,VIN9,C9,平安保险,theft,2025-03-01,2026-02-28,100.00,10.00,',
    ].join('\n');
    const result = await loadExtract(warehouse, await tinyCopy({ files: { 'insurance_policies.csv': bad } }));
    expect(result.files['insurance_policies.csv']).toMatchObject({ read: 9, loaded: 4, rejected: 5 });
    expect(
      await rows(
        `SELECT line, column_name, reason FROM etl.rejects WHERE file = 'insurance_policies.csv' ORDER BY line`,
      ),
    ).toEqual([
      { line: 6, column_name: 'end_date', reason: 'end_date not after start_date 2025-03-01' },
      { line: 7, column_name: 'commission', reason: 'commission exceeds premium 100.00' },
      { line: 8, column_name: 'renewal_of', reason: 'a policy cannot renew itself' },
      { line: 9, column_name: 'store_id', reason: expect.stringContaining('S9') },
      { line: 10, column_name: 'kind', reason: expect.stringContaining('theft') },
    ]);
  });

  it('is optional: an extract without it loads, and leaves no policies', async () => {
    warehouse = await freshWarehouse();
    const result = await loadExtract(warehouse, await tinyCopy());
    expect(result.status).toBe('loaded');
    expect(result.files['insurance_policies.csv']).toBeUndefined();
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM fact_insurance_policies`)).toEqual([{ n: 0 }]);
  });
});
