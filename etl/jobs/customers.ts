// Customers after the sale: the motor insurance policies a store sells (format version 2, optional).
import type { FileSpec } from '../spec.ts';

export const POLICY_KINDS = ['compulsory', 'commercial'] as const;

export const insurancePoliciesSpec: FileSpec = {
  file: 'insurance_policies.csv',
  table: 'fact_insurance_policies',
  key: ['policy_no'],
  since: 2,
  optional: true,
  columns: [
    { name: 'policy_no', type: 'text', required: true },
    { name: 'store_id', type: 'text', required: true, ref: 'store' },
    { name: 'vin', type: 'text', required: true },
    { name: 'customer_id', type: 'hashed' },
    { name: 'insurer', type: 'text', required: true },
    { name: 'kind', type: 'text', required: true, oneOf: POLICY_KINDS },
    { name: 'start_date', type: 'date', required: true },
    { name: 'end_date', type: 'date', required: true },
    { name: 'premium', type: 'amount', required: true, min: 0 },
    { name: 'commission', type: 'amount', required: true, min: 0 },
    {
      name: 'renewal_of',
      type: 'text',
      // The policy renewed may predate the extract: loaded all the same, with a warning.
      known: { table: 'fact_insurance_policies', column: 'policy_no', what: 'policy' },
    },
  ],
  rules: [
    {
      column: 'end_date',
      violated: 't.end_date <= t.start_date',
      reason: `'end_date not after start_date ' || t.start_date`,
    },
    {
      column: 'commission',
      violated: 't.commission > t.premium',
      reason: `'commission exceeds premium ' || t.premium`,
    },
    {
      column: 'renewal_of',
      violated: 't.renewal_of = t.policy_no',
      reason: `'a policy cannot renew itself'`,
    },
  ],
};

export const customerSpecs = [insurancePoliciesSpec];
