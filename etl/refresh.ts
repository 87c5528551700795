// Tables derived from the loaded facts and dimensions, rebuilt inside the load's transaction
// so readers see them change together with the data they come from.
import type { DuckDBConnection } from '@duckdb/node-api';

export async function refreshDerived(conn: DuckDBConnection): Promise<void> {
  // Scope checks and roll-ups join the closure instead of walking the tree per query.
  await conn.run(`DELETE FROM org_closure;
    INSERT INTO org_closure
    WITH RECURSIVE closure(ancestor_id, descendant_id, depth) AS (
      SELECT node_id, node_id, 0 FROM dim_org
      UNION ALL
      SELECT c.ancestor_id, o.node_id, c.depth + 1 FROM closure c JOIN dim_org o ON o.parent_id = c.descendant_id
    )
    SELECT * FROM closure;`);

  // A customer's city and channel are those of their first purchase or visit.
  await conn.run(`DELETE FROM dim_customer;
    INSERT INTO dim_customer
    SELECT customer_id, arg_min(city, seen), arg_min(channel, seen), min(seen)
    FROM (
      SELECT s.customer_id, o.city, s.channel, s.sale_date AS seen
      FROM fact_vehicle_sales s JOIN dim_org o ON o.node_id = s.store_id
      WHERE s.customer_id IS NOT NULL
      UNION ALL
      SELECT r.customer_id, o.city, 'service', r.open_date
      FROM fact_service_orders r JOIN dim_org o ON o.node_id = r.store_id
      WHERE r.customer_id IS NOT NULL
    )
    GROUP BY customer_id;`);
}
