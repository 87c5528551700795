// What tasks, alerts and the board call a user: a name and a job title, never a bare login id
// where a better one is known. A user bound to a person of staff.csv (role staff) is that person's
// name and role there; any other user, their display name (else the username) and their user
// role; a node owner in org.csv without a user, the username and the level of the node they own.
import type { Knex } from 'knex';
import type { Person } from '../contract/risk.ts';
import type { PersonTitle } from '../contract/vocabulary.ts';

const LEVEL_ORDER = ['group', 'division', 'region', 'store'] as const;

export async function describePeople(knex: Knex, usernames: readonly string[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(usernames)];
  const people = new Map<string, Person>();
  if (!wanted.length) return people;
  const users = (await knex('app.users as u')
    .leftJoin('dim_staff as s', 's.staff_id', 'u.staff_id')
    .whereIn('u.username', wanted)
    .select('u.username', 'u.role', 'u.display_name', 's.name as staff_name', 's.role as staff_role')) as {
    username: string;
    role: PersonTitle;
    display_name: string | null;
    staff_name: string | null;
    staff_role: PersonTitle | null;
  }[];
  for (const u of users)
    people.set(u.username, {
      username: u.username,
      name: u.staff_name ?? u.display_name ?? u.username,
      title: u.staff_role ?? u.role,
    });
  const owners = wanted.filter((name) => !people.has(name));
  if (owners.length) {
    const owned = (await knex('dim_org').whereIn('owner', owners).select('owner', 'level')) as {
      owner: string;
      level: (typeof LEVEL_ORDER)[number];
    }[];
    for (const name of owners) {
      const levels = owned.filter((o) => o.owner === name).map((o) => LEVEL_ORDER.indexOf(o.level));
      people.set(name, {
        username: name,
        name,
        title: levels.length ? LEVEL_ORDER[Math.min(...levels)]! : null,
      });
    }
  }
  return people;
}
