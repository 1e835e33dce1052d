// validate_speedscope.js NODE_DIR FILE - checks FILE against the JSON
// schema that npm's speedscope package ships, with ajv; prints the errors
// and exits 1 when it does not validate.
"use strict";
const path = require("path");
const fs = require("fs");
const [dir, file] = process.argv.slice(2);
const Ajv = require(path.join(dir, "node_modules", "ajv"));
const schema = JSON.parse(fs.readFileSync(path.join(
  dir, "node_modules/speedscope/dist/release/file-format-schema.json")));
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);
if (!validate(JSON.parse(fs.readFileSync(file)))) {
  console.log(JSON.stringify(validate.errors, null, 1));
  process.exit(1);
}
