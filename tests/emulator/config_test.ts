// The emulator runs each function with its config's timeout, memory and environment defaults,
// as the template deploys it; --timeout and --memory override every function.
import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { readFunctionSettings } from "../../src/emulator/front/function_configs.ts";
import { ROOT, startEmulator } from "./_support.ts";

const CLI = `${ROOT}/src/emulator/cli.ts`;

const MODULE = `
export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.sleepMs ?? 0));
  return {
    mode: Deno.env.get("MODE") ?? null,
    bucket: Deno.env.get("BUCKET") ?? null,
    token: Deno.env.get("TOKEN") ?? null,
    memory: Deno.env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
  };
};
export const config = {
  handler: {
    timeout: 1,
    memorySize: 512,
    environment: {
      MODE: "fast",
      BUCKET: { default: "tracks" },
      TOKEN: { secret: true, default: "never-given" },
    },
  },
};
`;

async function withHandlers(test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "lambdeno-emulator-config-" });
  try {
    await Deno.writeTextFile(`${dir}/slow.ts`, MODULE);
    await Deno.writeTextFile(`${dir}/plain.ts`, "export const handler = () => 1;\n");
    await test(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function invoke(dir: string, event: string, flags: string[] = []) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "invoke", "slow", "-", "--handlers", dir, ...flags],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(event));
  await writer.close();
  const { code, stdout } = await child.output();
  return { code, answer: JSON.parse(new TextDecoder().decode(stdout)) };
}

Deno.test("readFunctionSettings() reads each configured export's settings", async () => {
  await withHandlers(async (dir) => {
    const settings = await readFunctionSettings(dir);
    deepEqual([...settings.keys()], ["slow.handler"]);
    deepEqual(settings.get("slow.handler"), {
      timeoutSeconds: 1,
      memoryMb: 512,
      env: { MODE: "fast", BUCKET: "tracks" },
    });
  });
});

Deno.test("readFunctionSettings() reads a directory whose path has #, ? and %", async () => {
  await withHandlers(async (root) => {
    const dir = `${root}/a#b?c%41 d`;
    await Deno.mkdir(dir);
    await Deno.copyFile(`${root}/slow.ts`, `${dir}/nested.ts`);
    deepEqual([...(await readFunctionSettings(dir)).keys()], ["nested.handler"]);
  });
});

Deno.test("a function runs with its config's memory and environment defaults, never a secret", async () => {
  await withHandlers(async (dir) => {
    const { code, answer } = await invoke(dir, "{}");
    equal(code, 0);
    deepEqual(answer, { mode: "fast", bucket: "tracks", token: null, memory: "512" });
  });
});

Deno.test("a function times out after its config's timeout, unless --timeout says otherwise", async () => {
  await withHandlers(async (dir) => {
    const late = await invoke(dir, '{"sleepMs":1500}');
    equal(late.code, 1);
    match(late.answer.errorMessage, /timed out/i);
    const env = await Deno.makeTempFile({ prefix: "lambdeno-env-" });
    try {
      await Deno.writeTextFile(env, "MODE=slow\nTOKEN=given\n");
      const { code, answer } = await invoke(dir, '{"sleepMs":1500}', [
        "--timeout",
        "5",
        "--memory",
        "256",
        "--env-file",
        env,
      ]);
      equal(code, 0);
      deepEqual(answer, { mode: "slow", bucket: "tracks", token: "given", memory: "256" });
    } finally {
      await Deno.remove(env);
    }
  });
});

Deno.test("readFunctionSettings() rejects a malformed config, naming the function and the field", async () => {
  await withHandlers(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/broken.ts`,
      "export const handler = () => 1;\nexport const config = { handler: { timeout: 0 } };\n",
    );
    await rejects(readFunctionSettings(dir), (error: unknown) => {
      ok(error instanceof TypeError);
      match(error.message, /broken\.handler: timeout must be an integer from 1 to 900, got 0/);
      return true;
    });
  });
});

Deno.test("the emulator stops with the config's error rather than run a function without it", async () => {
  await withHandlers(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/broken.ts`,
      "export const handler = () => 1;\nexport const config = { handler: { memorySize: 64 } };\n",
    );
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "invoke", "slow", "--handlers", dir],
      cwd: ROOT,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    equal(code, 1);
    match(new TextDecoder().decode(stderr), /broken\.handler: memorySize must be an integer/);
  });
});

Deno.test("readFunctionSettings() still reads the others when a module cannot be imported", async () => {
  await withHandlers(async (dir) => {
    await Deno.writeTextFile(`${dir}/unloadable.ts`, 'throw new Error("no");\n');
    deepEqual([...(await readFunctionSettings(dir)).keys()], ["slow.handler"]);
  });
});

Deno.test("Emulator.restart() with new settings runs each function with them from then on", async () => {
  await withHandlers(async (dir) => {
    const settings = (mode: string) =>
      new Map([["slow.handler", { timeoutSeconds: 5, memoryMb: 256, env: { MODE: mode } }]]);
    const { emulator } = await startEmulator({ handlersDir: dir, settings: settings("fast") });
    try {
      const invoke = async () => {
        const response = await fetch(`${emulator.url}2015-03-31/functions/slow/invocations`, {
          method: "POST",
          body: "{}",
        });
        return await response.json();
      };
      deepEqual(await invoke(), { mode: "fast", bucket: null, token: null, memory: "256" });
      await emulator.restart(settings("edited"));
      deepEqual(await invoke(), { mode: "edited", bucket: null, token: null, memory: "256" });
    } finally {
      await emulator.close();
    }
  });
});

Deno.test("from source, each function's V8 heap is sized to its own config's memory", async () => {
  await withHandlers(async (dir) => {
    const source = (memorySize?: number) =>
      `import { getHeapStatistics } from "node:v8";
export const handler = () => Math.round(getHeapStatistics().heap_size_limit / 1048576);
${
        memorySize === undefined
          ? ""
          : `export const config = { handler: { memorySize: ${memorySize} } };`
      }
`;
    await Deno.writeTextFile(`${dir}/large.ts`, source(1024));
    await Deno.writeTextFile(`${dir}/small.ts`, source());
    const heap = async (name: string) => {
      const { code, stdout } = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CLI, "invoke", name, "--handlers", dir],
        cwd: ROOT,
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).output();
      equal(code, 0);
      return Number(new TextDecoder().decode(stdout));
    };
    const [large, small] = [await heap("large"), await heap("small")];
    // V8's limit is the old space plus the young generation: about the memory size.
    ok(large > 900 && large < 1200, `a 1024 MB function's heap limit is ${large} MB`);
    ok(small > 100 && small < 200, `a 128 MB function's heap limit is ${small} MB`);
  });
});
