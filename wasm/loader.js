// loader.js starts the mailseal core (core.wasm) and gives its methods to the
// extension and to Node (tests, benchmarks). It is the only way in: nothing
// else should call globalThis.mailseal directly, because this module keeps a
// live instance behind it.
//
//   import { loadCore } from "./loader.js";
//   const core = await loadCore(new URL("./core.wasm", import.meta.url));
//   const report = await core.verify(raw, { content: true });
//
// The methods are those of globalThis.mailseal, documented in wasm/main.go and
// typed in extension/types/mailseal.d.ts. `make wasm` puts this file next to
// core.wasm and the matching wasm_exec.js in dist/wasm/.
//
// If the Go program exits (a fatal runtime error: out of memory, a panic that
// escaped recovery), the calls it was serving reject with ERR_INTERNAL and the
// next call starts a fresh instance from the compiled module.

import "./wasm_exec.js"; // defines globalThis.Go

/** The error codes loader.js rejects with itself; every code is in wasm/internal/errcode. */
export const codes = Object.freeze({
  malformed: "ERR_MALFORMED",
  tooLarge: "ERR_TOO_LARGE",
  badArgument: "ERR_BAD_ARGUMENT",
  internal: "ERR_INTERNAL",
});

/**
 * Compiles the module once and starts its first instance.
 * @param {URL|string|Response|Promise<Response>|BufferSource|WebAssembly.Module} source
 */
export async function loadCore(source) {
  const core = new Core(await compile(source));
  await core.start();
  return core;
}

async function compile(source) {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof source === "string" || source instanceof URL) source = fetch(source);
  const response = await source;
  if (!response.ok) throw new Error(`mailseal: loading the core: HTTP ${response.status}`);
  try {
    // Streaming compilation needs the application/wasm type, which extension
    // pages have and some servers do not send.
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

class Core {
  #module;
  #state = null; // the live instance: { api, pending, dead }
  #starting = null; // Promise of the instance being started
  #version = "";
  /** How many instances were started; more than one means the program exited. */
  starts = 0;

  constructor(module) {
    this.#module = module;
  }

  async start() {
    const state = await this.#live();
    this.#version = state.api.version();
    // Every asynchronous method of globalThis.mailseal (verify, classify, and those later
    // issues add, such as sign) becomes a method here that runs on the live instance.
    for (const [name, fn] of Object.entries(state.api)) {
      if (typeof fn === "function" && name !== "version") this[name] = (...args) => this.#call(name, ...args);
    }
  }

  /** The core's version (the same for every instance of the module). */
  version() {
    return this.#version;
  }

  async #call(name, ...args) {
    const state = await this.#live();
    return new Promise((resolve, reject) => {
      const method = state.api?.[name];
      if (typeof method !== "function") {
        reject(coded(codes.internal, `mailseal: the core has no method ${name}`));
        return;
      }
      let result;
      try {
        result = method(...args);
      } catch (err) {
        // The instance threw past its own recovery: treat it as dead.
        this.#stopped(state, err);
        reject(coded(codes.internal, `mailseal: the core failed: ${err?.message ?? err}`));
        return;
      }
      state.pending.add(reject);
      result.then(resolve, reject).finally(() => state.pending.delete(reject));
    });
  }

  #live() {
    if (this.#state !== null && !this.#state.dead) return Promise.resolve(this.#state);
    this.#starting ??= this.#instantiate().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  async #instantiate() {
    const go = new globalThis.Go();
    const instance = await WebAssembly.instantiate(this.#module, go.importObject);
    // run executes main until it waits for calls, so the API is installed
    // when run returns its Promise, which settles when the program exits.
    const exited = go.run(instance);
    const state = { api: globalThis.mailseal, pending: new Set(), dead: false };
    exited.then(
      () => this.#stopped(state, new Error("the Go program exited")),
      (err) => this.#stopped(state, err),
    );
    this.starts++;
    this.#state = state;
    return state;
  }

  #stopped(state, cause) {
    if (state.dead) return;
    state.dead = true;
    for (const reject of state.pending) {
      reject(coded(codes.internal, `mailseal: the core stopped during the call (${cause?.message ?? cause})`));
    }
    state.pending.clear();
  }
}

function coded(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}
