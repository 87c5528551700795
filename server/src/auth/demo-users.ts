// One demo user per role, made when the demo group is loaded. The org roles are the owners of
// real nodes (so tasks routed to a node's owner reach them); the staff user is a sales consultant
// of the store (when the extract has a staff list); all share DEMO_PASSWORD.
import type { Knex } from 'knex';
import { addUser, findUser, type NewUser, type User } from './users.ts';

export const DEMO_PASSWORD = 'cockpit-demo';

/** `storeId`: the store the store manager runs (the demo picks one with a planted problem);
 *  `nameOf`: a user's display name from their username (the generator's names). */
export async function createDemoUsers(
  knex: Knex,
  storeId: string,
  nameOf: (username: string) => string | undefined = () => undefined,
): Promise<User[]> {
  const chain = (await knex('dim_org as o')
    .join('org_closure as c', 'c.ancestor_id', 'o.node_id')
    .where('c.descendant_id', storeId)
    .orderBy('c.depth', 'desc')
    .select('o.node_id', 'o.level', 'o.owner')) as {
    node_id: string;
    level: 'group' | 'division' | 'region' | 'store';
    owner: string;
  }[];
  const wanted: Omit<NewUser, 'password'>[] = [
    ...chain.map((n) => ({ username: n.owner, role: n.level, nodes: [n.node_id] })),
    // Finance sees the whole group's money and stock, and the department gross profits of the driver tree.
    {
      username: 'finance',
      role: 'finance',
      nodes: [chain[0]!.node_id],
      domains: ['finance', 'inventory', 'sales', 'fi', 'aftersales'],
    },
    // A special grant: sales and after-sales figures of the store's region only.
    {
      username: 'special',
      role: 'special',
      nodes: [chain.find((n) => n.level === 'region')!.node_id],
      domains: ['sales', 'aftersales'],
    },
  ];
  // A sales consultant of the store, signed in as themselves: the one still employed who sold most.
  const consultant = (await knex('dim_staff as s')
    .leftJoin('fact_vehicle_sales as f', 'f.salesperson', 's.staff_id')
    .where({ 's.store_id': storeId, 's.role': 'sales_consultant' })
    .whereNull('s.left_on')
    .groupBy('s.staff_id')
    .orderByRaw('count(f.order_no) DESC, s.staff_id')
    .first('s.staff_id')) as { staff_id: string } | undefined;
  if (consultant) wanted.push({ username: 'staff', role: 'staff', nodes: [], staff: consultant.staff_id });
  const users: User[] = [];
  for (const w of wanted) {
    users.push(
      (await findUser(knex, w.username)) ??
        (await addUser(knex, {
          ...w,
          name: nameOf(w.username),
          password: DEMO_PASSWORD,
          // So report subscriptions reach them by e-mail once SMTP_URL is set (example.com never delivers).
          ...(w.role === 'staff' ? {} : { email: `${w.username}@example.com` }),
        })),
    );
  }
  return users;
}
