// Builds the backoffice app into dist/: dist/index.html and content-hashed files under dist/assets/.
// `node build.mjs` (the Makefile runs it). Screens are found, not listed: every src/screens/*.js is
// bundled and registered (the virtual module "turno:screens"), so adding a screen touches no shared file.
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const screensDir = join(here, "src", "screens");

const screens = {
  name: "screens",
  setup(b) {
    b.onResolve({ filter: /^turno:screens$/ }, () => ({ path: "screens", namespace: "turno" }));
    b.onLoad({ filter: /.*/, namespace: "turno" }, () => {
      const files = readdirSync(screensDir).filter((f) => /^[a-z][a-z0-9-]*\.js$/.test(f)).sort();
      const lines = files.map((f, i) => `import s${i} from ${JSON.stringify(join(screensDir, f))};`);
      lines.push(`export default [${files.map((_, i) => `s${i}`).join(", ")}];`);
      return { contents: lines.join("\n"), resolveDir: screensDir, watchFiles: files.map((f) => join(screensDir, f)) };
    });
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "assets"), { recursive: true });
const result = await build({
  entryPoints: { app: join(here, "src", "main.js"), style: join(here, "src", "app.css") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  outdir: join(dist, "assets"),
  entryNames: "[name]-[hash]",
  metafile: true,
  legalComments: "eof",
  define: { "process.env.NODE_ENV": '"production"' },
  plugins: [screens],
  logLevel: "warning",
});
const outputs = Object.keys(result.metafile.outputs).map((p) => p.split("/").pop());
const script = outputs.find((f) => f.startsWith("app-") && f.endsWith(".js"));
const styles = outputs.filter((f) => f.endsWith(".css"));
// No inline script or style: the Content-Security-Policy allows only this origin's files.
writeFileSync(join(dist, "index.html"), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Turno</title>
<link rel="icon" href="data:,">
${styles.map((f) => `<link rel="stylesheet" href="assets/${f}">`).join("\n")}
<script type="module" src="assets/${script}"></script>
</head>
<body>
<div id="app"><p class="boot">Turno…</p></div>
<noscript>Turno's backoffice needs JavaScript.</noscript>
</body>
</html>
`);
console.log(`built ${outputs.join(", ")} into ${dist}`);
