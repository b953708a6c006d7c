// `deno task dev` as a user runs it: it watches by default, so a changed config and a new
// handler module are served without a restart; --no-watch turns that off; --bootstrap serves
// exactly the functions of the built artifact, as the build's template describes them.
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { readArtifactFunctions } from "../../src/emulator/function_sources.ts";
import { renderTemplate, samTemplate } from "../../src/builder/template/template.ts";
import { scratchDir } from "../_scratch.ts";
import { LogCapture, ROOT } from "./_support.ts";

const CLI = `${ROOT}/src/emulator/cli.ts`;

/** `deno run src/emulator/cli.ts serve …`, its output lines kept as they come. */
class Serve implements AsyncDisposable {
  readonly log = new LogCapture();
  readonly #child: Deno.ChildProcess;
  readonly #output: Promise<void>;

  constructor(args: string[]) {
    this.#child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "serve", "--port", "0", ...args],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines = async (stream: ReadableStream<Uint8Array>) => {
      let rest = "";
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        const parts = (rest + text).split("\n");
        rest = parts.pop() ?? "";
        for (const line of parts) this.log.write(line);
      }
    };
    this.#output = Promise.all([lines(this.#child.stdout), lines(this.#child.stderr)]).then(
      () => {},
    );
  }

  /** The emulator's base URL, once it listens. */
  async url(): Promise<string> {
    const banner = await this.log.waitFor(/^Lambdeno emulator on /);
    return /on (http:\S+)/.exec(banner)![1]!;
  }

  async invoke(name: string): Promise<Response> {
    return await fetch(`${await this.url()}2015-03-31/functions/${name}/invocations`, {
      method: "POST",
      body: "{}",
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#child.kill("SIGTERM");
    await this.#child.status;
    await this.#output;
  }
}

const REPORTS = `export const handler = () => ({
  memory: Deno.env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
  mode: Deno.env.get("MODE") ?? null,
});
`;

function withConfig(memorySize: number, mode: string): string {
  return REPORTS +
    `export const config = { handler: { memorySize: ${memorySize}, environment: { MODE: "${mode}" } } };\n`;
}

Deno.test("deno task dev serves a changed config and a new handler module without a restart", async () => {
  const dir = await scratchDir("lambdeno-live-");
  await Deno.writeTextFile(`${dir}/conf.ts`, withConfig(128, "first"));
  await using serve = new Serve(["--handlers", dir]);
  await serve.log.waitFor(/^Watching .* \(--no-watch to stop\)$/);
  deepEqual(await (await serve.invoke("conf")).json(), { memory: "128", mode: "first" });

  await Deno.writeTextFile(`${dir}/conf.ts`, withConfig(256, "edited"));
  await serve.log.waitFor(/^\[watch\] conf\.handler's config changed/);
  deepEqual(await (await serve.invoke("conf")).json(), { memory: "256", mode: "edited" });

  await Deno.writeTextFile(`${dir}/fresh.ts`, withConfig(512, "new"));
  await serve.log.waitFor(/^\[watch\] new function: fresh {2}http:/);
  deepEqual(await (await serve.invoke("fresh")).json(), { memory: "512", mode: "new" });
});

Deno.test("deno task dev --no-watch does not watch", async () => {
  const dir = await scratchDir("lambdeno-live-");
  await Deno.writeTextFile(`${dir}/conf.ts`, REPORTS);
  await using serve = new Serve(["--handlers", dir, "--no-watch"]);
  // The line that says the emulator watches would follow the banner's last.
  await serve.log.waitFor(/^Scale-out: /);
  deepEqual(await (await serve.invoke("conf")).json(), { memory: "128", mode: null });
  equal(serve.log.matching(/^Watching /).length, 0);
});

/**
 * A build's output as `deno task build` lays it out, two artifacts and the template; each
 * bootstrap runs the runtime from source (what runs is not the point: which functions are).
 */
async function builtOutput(): Promise<{ handlers: string; dist: string }> {
  const dir = await scratchDir("lambdeno-artifact-");
  const handlers = `${dir}/handlers`;
  const dist = `${dir}/dist`;
  await Deno.mkdir(handlers);
  for (const name of ["conf", "other", "extra"]) {
    await Deno.writeTextFile(`${handlers}/${name}.ts`, REPORTS);
  }
  const template = samTemplate({
    functions: [
      {
        file: "conf",
        exportName: "handler",
        config: { memorySize: 512, reservedConcurrency: 3, environment: { MODE: "built" } },
      },
      { file: "other", exportName: "handler", config: {} },
    ],
    arch: "x86_64",
    codeUri: (fn) => `x86_64/${fn.file === "conf" ? "web" : "misc"}/function.zip`,
    memorySize: 256,
    timeout: 10,
  });
  await Deno.mkdir(dist);
  await Deno.writeTextFile(`${dist}/template.yaml`, renderTemplate(template));
  for (const group of ["web", "misc"]) {
    await Deno.mkdir(`${dist}/x86_64/${group}`, { recursive: true });
    const bootstrap = `${dist}/x86_64/${group}/bootstrap`;
    await Deno.writeTextFile(
      bootstrap,
      `#!/bin/sh\nexec '${Deno.execPath()}' run -A '${ROOT}/src/main.ts'\n`,
    );
    await Deno.chmod(bootstrap, 0o755);
  }
  return { handlers, dist };
}

Deno.test("readArtifactFunctions() reads an artifact's functions and settings from the template", async () => {
  const { dist } = await builtOutput();
  const { functions, settings } = await readArtifactFunctions(`${dist}/x86_64/web/bootstrap`);
  deepEqual(functions, [{ name: "conf", handler: "conf.handler" }]);
  deepEqual(settings.get("conf.handler"), {
    timeoutSeconds: 10,
    memoryMb: 512,
    reservedConcurrency: 3,
    env: { MODE: "built" },
  });
  await rejects(readArtifactFunctions(`${dist}/x86_64/none/bootstrap`), /does not exist/);
  await Deno.mkdir(`${dist}/x86_64/none`);
  await Deno.writeTextFile(`${dist}/x86_64/none/bootstrap`, "");
  await rejects(
    readArtifactFunctions(`${dist}/x86_64/none/bootstrap`),
    /names no function whose code is none; it has misc, web/,
  );
});

Deno.test("deno task dev --bootstrap serves exactly the artifact's functions, with its settings", async () => {
  const { handlers, dist } = await builtOutput();
  await using serve = new Serve([
    "--handlers",
    handlers,
    "--bootstrap",
    `${dist}/x86_64/web/bootstrap`,
  ]);
  const url = await serve.url();
  const index = await fetch(url, { headers: { accept: "application/json" } });
  deepEqual((await index.json()).functions.map((fn: { name: string }) => fn.name), ["conf"]);
  deepEqual(await (await serve.invoke("conf")).json(), { memory: "512", mode: "built" });
  for (const name of ["other", "extra", "conf.other"]) {
    const missing = await serve.invoke(name);
    equal(missing.status, 404, name);
    match((await missing.json()).message, /Function not found/);
  }
  ok(serve.log.lines.some((line) => line.startsWith("  conf ")), serve.log.lines.join("\n"));
});
