// The ceiling for channel reads: a bare Fastify + pg route running the same indexed query, with no
// authentication, masking or audit. argv: <database url> <pool table> <id column> <port> <columns…>
import Fastify from 'fastify';
import pg from 'pg';

const [url, table, idColumn, port, ...columns] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 20 });
const app = Fastify({ logger: false });
const sql = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM pool."${table}" WHERE "${idColumn}" = $1 AND NOT _deleted`;
app.get('/e/:id', async (req) => ({
  items: (await pool.query(sql, [(req.params as { id: string }).id])).rows,
}));
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write('ready\n');
