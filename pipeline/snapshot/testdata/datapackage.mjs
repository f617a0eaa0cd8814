// Validates a snapshot's datapackage.json with the Frictionless Data project's own JavaScript
// libraries: datapackage checks the descriptor against the Data Package profile it bundles, and
// tableschema checks each resource's schema. Prints one JSON object. Run with node --input-type=module
// from the folder that holds node_modules (.ci/npm); its last argument is the descriptor's path.
import datapackage from 'datapackage';
import tableschema from 'tableschema';

const pkg = await datapackage.Package.load(process.argv.at(-1));
const out = { valid: pkg.valid, errors: pkg.errors.map(String), resources: {} };
for (const r of pkg.resources) {
  const schema = await tableschema.Schema.load(r.descriptor.schema);
  out.resources[r.name] = { valid: r.valid && schema.valid, errors: [...r.errors, ...schema.errors].map(String), fields: schema.fieldNames };
}
console.log(JSON.stringify(out));
