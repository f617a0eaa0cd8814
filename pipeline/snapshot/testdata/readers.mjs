// Reads a snapshot's observations dataset with readers toll does not write, each in one call over the
// whole dataset, and prints what each saw as one JSON object: its rows and its columns (name and type).
// Run with node --input-type=module from the folder that holds node_modules (.ci/npm); its last argument is the
// snapshot's folder. readers_test.go runs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import * as arrow from 'apache-arrow';
import parquetWasm from 'parquet-wasm/node';

const dir = process.argv.at(-1);
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const files = manifest.files.filter((f) => f.path.startsWith('observations/')).map((f) => join(dir, f.path));
const out = {};

// DuckDB: one read_parquet over the folder, as the docs tell analysts to.
{
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const from = `read_parquet('${join(dir, 'observations')}/**/*.parquet', hive_partitioning = true)`;
  const count = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${from}`);
  const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  out.duckdb = {
    rows: count.getRowObjects()[0].n,
    columns: described.getRowObjects().map((r) => `${r.column_name} ${r.column_type}`),
  };
}

// hyparquet: every file's rows, and every file's schema, which must be one.
{
  let rows = 0;
  const schemas = new Set();
  let columns = [];
  await Promise.all(files.map(async (path) => {
    const file = await asyncBufferFromFile(path);
    const metadata = await parquetMetadataAsync(file);
    columns = parquetSchema(metadata).children.map((c) => `${c.element.name} ${c.element.type}/${JSON.stringify(c.element.logical_type ?? c.element.converted_type ?? null)}`);
    schemas.add(columns.join(','));
    const read = await parquetReadObjects({ file, metadata, compressors });
    rows += read.length;
  }));
  out.hyparquet = { rows, columns, schemas: schemas.size };
}

// arrow-js: every file as a Table (through parquet-wasm), concatenated into one.
{
  const tables = files.map((path) => arrow.tableFromIPC(parquetWasm.readParquet(readFileSync(path)).intoIPCStream()));
  const all = tables[0].concat(...tables.slice(1));
  out.arrow = {
    rows: all.numRows,
    columns: all.schema.fields.map((f) => `${f.name} ${f.type}`),
    schemas: new Set(tables.map((t) => t.schema.fields.map((f) => `${f.name} ${f.type}`).join(','))).size,
  };
}

console.log(JSON.stringify(out));
