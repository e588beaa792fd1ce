/**
 * Runs the service (src/main.ts), or the TypeScript file given as the first argument, as a child
 * process: for the tests that kill or stop a whole instance, or restart a PostgreSQL. TypeScript
 * is transpiled on load with the project's compiler options (decorator metadata included, which
 * Nest's injection reads); nothing is written to disk.
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.join(__dirname, '..', '..');
const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
const compilerOptions = {
  ...options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  declaration: false,
  noEmit: false,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

require(process.argv[2] ? path.resolve(process.argv[2]) : path.join(root, 'src', 'main.ts'));
