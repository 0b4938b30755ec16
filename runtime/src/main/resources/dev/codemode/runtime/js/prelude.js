// codemode prelude: trusted code evaluated first in every fresh context, before any agent code.
// It captures the intrinsics it relies on (agent code may poison the originals afterwards), installs
// the guest API (console, fetch, fs, servers, codemode) and returns a control object to the host only.
// The host object it receives never becomes reachable from the global scope.
(function (host, configJson, fsFactory) {
  'use strict';
  const g = globalThis;
  const ObjectKeys = Object.keys;
  const ObjectFreeze = Object.freeze;
  const ObjectCreate = Object.create;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectPrototypeToString = Object.prototype.toString;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
  const ObjectProto = Object.prototype;
  const ArrayProto = Array.prototype;
  const DateProto = Date.prototype;
  const DateToJSON = Date.prototype.toJSON;
  const ReflectApply = Reflect.apply;
  const JSONStringify = JSON.stringify;
  const JSONParse = JSON.parse;
  const ArrayIsArray = Array.isArray;
  const StringCtor = String;
  const NumberIsFinite = Number.isFinite;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const PromiseCtor = Promise;
  const PromiseThen = Promise.prototype.then;
  const PromiseResolve = Promise.resolve;
  const PromiseReject = Promise.reject;
  const SetCtor = Set;
  const ProxyCtor = Proxy;
  const ObjectHasOwn = Object.hasOwn;
  const SetHas = Set.prototype.has;
  const SetAdd = Set.prototype.add;
  const SetDelete = Set.prototype.delete;
  const ArrayPush = Array.prototype.push;
  const ArrayJoin = Array.prototype.join;
  const StringSlice = String.prototype.slice;
  const StringSplit = String.prototype.split;
  const StringIndexOf = String.prototype.indexOf;
  const hostBridge = host.bridge;
  const hostLog = host.log;
  const config = JSONParse(configJson);
  const MAX_DEPTH = 64;

  const push = (arr, v) => ReflectApply(ArrayPush, arr, [v]);
  const join = (arr, sep) => ReflectApply(ArrayJoin, arr, [sep]);
  const slice = (s, a, b) => ReflectApply(StringSlice, s, [a, b]);

  function safeString(v) {
    try {
      if (typeof v === 'symbol') return 'Symbol(' + (v.description ?? '') + ')';
      return StringCtor(v);
    } catch (e) {
      return '[unprintable ' + typeof v + ']';
    }
  }

  function errorMessage(e) {
    try {
      if (e !== null && typeof e === 'object') {
        const name = e.name, message = e.message;
        if (typeof message === 'string') return (typeof name === 'string' ? name + ': ' : '') + message;
      }
    } catch (ignored) { /* a throwing getter: fall through */ }
    return safeString(e);
  }

  // JSON with the semantics of JSON.stringify, made safe: cycles become "[Circular]", BigInt a string,
  // throwing getters and toJSON a marker, depth bounded, output bounded by `cap` characters.
  // Over the cap, it throws a sentinel made for this call: guest code never holds it, so nothing the guest
  // throws (a getter, toJSON) can pass for "too large".
  function toJson(root, cap, forConsole) {
    let text = ''; // a string, not an array: array writes can reach setters on Array.prototype
    const seen = new SetCtor();
    const RESULT_LIMIT = ObjectFreeze(ObjectCreate(null));
    const emit = (s) => {
      if (text.length + s.length > cap) throw RESULT_LIMIT;
      text += s;
    };
    const str = (s) => emit(JSONStringify(s));
    function value(v, depth, inArray) {
      if (v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.toJSON === 'function') {
        try {
          v = v.toJSON();
        } catch (e) {
          if (e === RESULT_LIMIT) throw e;
          return str('[toJSON threw: ' + errorMessage(e) + ']');
        }
      }
      switch (typeof v) {
        case 'string': return str(v);
        case 'number': return emit(NumberIsFinite(v) ? JSONStringify(v) : (forConsole ? StringCtor(v) : 'null'));
        case 'boolean': return emit(v ? 'true' : 'false');
        case 'bigint': return str(StringCtor(v) + (forConsole ? 'n' : ''));
        case 'undefined': return emit(forConsole ? 'undefined' : 'null');
        case 'symbol': return forConsole ? emit(safeString(v)) : emit('null');
        case 'function': return forConsole ? emit('[Function ' + safeString(v.name || 'anonymous') + ']') : emit('null');
      }
      if (v === null) return emit('null');
      if (ReflectApply(SetHas, seen, [v])) return str('[Circular]');
      if (depth >= MAX_DEPTH) return str('[Max depth]');
      ReflectApply(SetAdd, seen, [v]);
      try {
        if (ArrayIsArray(v)) {
          emit('[');
          const n = v.length;
          for (let i = 0; i < n; i++) {
            if (i > 0) emit(',');
            member(v, i, depth, true);
          }
          emit(']');
        } else {
          if (forConsole && v instanceof ErrorCtor) return str(errorMessage(v));
          emit('{');
          let first = true;
          const keys = ObjectKeys(v);
          for (let i = 0; i < keys.length; i++) {
            const k = keys[i];
            let child;
            try {
              child = v[k];
            } catch (e) {
              if (e === RESULT_LIMIT) throw e;
              child = '[getter threw: ' + errorMessage(e) + ']';
            }
            if (!forConsole && (child === undefined || typeof child === 'function' || typeof child === 'symbol')) continue;
            if (!first) emit(',');
            first = false;
            str(k);
            emit(':');
            value(child, depth + 1, false);
          }
          emit('}');
        }
      } finally {
        ReflectApply(SetDelete, seen, [v]);
      }
    }
    function member(arr, i, depth) {
      let child;
      try {
        child = arr[i];
      } catch (e) {
        if (e === RESULT_LIMIT) throw e;
        child = '[getter threw: ' + errorMessage(e) + ']';
      }
      value(child, depth + 1, true);
    }
    try {
      value(root, 0, false);
    } catch (e) {
      if (e === RESULT_LIMIT) return TOO_LARGE;
      throw e;
    }
    return text;
  }
  // What toJson returns for a value past its cap (never a JSON text).
  const TOO_LARGE = ObjectFreeze(ObjectCreate(null));

  // The JSON of a bridge call's arguments, made with the built-ins captured above: a guest's changes to
  // prototypes (toJSON, getters, setters on Object.prototype or Array.prototype), to JSON or to Array
  // methods cannot change it. Own enumerable properties only; toJSON is honoured where the guest's own
  // objects or classes define it, and Date's original.
  function encode(root) {
    let out = ''; // a string, not an array: array writes can reach setters on Array.prototype
    const seen = new SetCtor();
    function toJsonOf(v) {
      let o = v;
      for (let hops = 0; o !== null && hops < 64; hops++) {
        const d = ObjectGetOwnPropertyDescriptor(o, 'toJSON');
        if (d !== undefined) {
          if (o === ObjectProto || o === ArrayProto) return undefined;
          if (o === DateProto) return d.value === DateToJSON ? DateToJSON : undefined;
          return typeof d.value === 'function' ? d.value : undefined;
        }
        o = ObjectGetPrototypeOf(o);
      }
      return undefined;
    }
    function value(v, depth) {
      if (v !== null && typeof v === 'object') {
        const f = toJsonOf(v);
        if (f !== undefined) v = ReflectApply(f, v, []);
      }
      switch (typeof v) {
        case 'string': return void (out += JSONStringify(v));
        case 'number': return void (out += NumberIsFinite(v) ? JSONStringify(v) : 'null');
        case 'boolean': return void (out += v ? 'true' : 'false');
        case 'bigint': throw new TypeErrorCtor('Do not know how to serialize a BigInt');
        case 'undefined': case 'function': case 'symbol': return void (out += 'null');
      }
      if (v === null) return void (out += 'null');
      if (ReflectApply(SetHas, seen, [v])) throw new TypeErrorCtor('Converting circular structure to JSON');
      if (depth >= 512) throw new TypeErrorCtor('arguments nest deeper than 512 levels');
      ReflectApply(SetAdd, seen, [v]);
      if (ArrayIsArray(v)) {
        out += '[';
        const n = v.length;
        for (let i = 0; i < n; i++) {
          if (i > 0) out += ',';
          value(v[i], depth + 1);
        }
        out += ']';
      } else {
        out += '{';
        const keys = ObjectKeys(v);
        let first = true;
        for (let i = 0; i < keys.length; i++) {
          const child = v[keys[i]];
          if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
          if (!first) out += ',';
          first = false;
          out += JSONStringify(keys[i]);
          out += ':';
          value(child, depth + 1);
        }
        out += '}';
      }
      ReflectApply(SetDelete, seen, [v]);
    }
    value(root, 0);
    return out;
  }

  // A prototype-less record: assigning to it runs no guest setter.
  function record() {
    return ObjectCreate(null);
  }

  // Stack lines of the agent's own code only; host and prelude frames never reach the model.
  function agentStack(e) {
    let stack;
    try {
      stack = e !== null && typeof e === 'object' ? e.stack : undefined;
    } catch (ignored) {
      return undefined;
    }
    if (typeof stack !== 'string') return undefined;
    const lines = ReflectApply(StringSplit, stack, ['\n']);
    const kept = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (ReflectApply(StringIndexOf, line, ['agent.js:']) >= 0 || ReflectApply(StringIndexOf, line, ['agent.mjs:']) >= 0) {
        push(kept, line);
      }
    }
    return kept.length ? join(kept, '\n') : undefined;
  }

  function describeError(e) {
    let type = typeof e, message;
    try {
      if (e !== null && typeof e === 'object') {
        const name = e.name;
        type = typeof name === 'string' ? name : 'Error';
        const m = e.message;
        message = typeof m === 'string' ? m : safeString(e);
      } else {
        type = 'Thrown ' + typeof e;
        message = safeString(e);
      }
    } catch (inner) {
      message = '[error object could not be read: ' + errorMessage(inner) + ']';
    }
    const out = { type: safeString(type), message: slice(safeString(message), 0, 4096) };
    const stack = agentStack(e);
    if (stack !== undefined) out.stack = slice(stack, 0, 4096);
    return JSONStringify(out);
  }

  // The one door to the host: a capability name and JSON arguments in, a Promise out.
  function call(capability, args) {
    let json;
    try {
      json = encode(args === undefined ? null : args);
    } catch (e) {
      return ReflectApply(PromiseReject, PromiseCtor, [new TypeErrorCtor('arguments for ' + capability + ' are not JSON-serializable: ' + errorMessage(e))]);
    }
    return new PromiseCtor((resolve, reject) => {
      hostBridge(capability, json, (envelope) => {
        const r = JSONParse(envelope);
        if (r.ok) {
          resolve(r.value);
        } else {
          const err = new ErrorCtor(r.error.message);
          if (r.error.name && r.error.name !== 'Error') err.name = r.error.name;
          if (r.error.code) err.code = r.error.code;
          reject(err);
        }
      });
    });
  }

  const maxConsole = config.maxOutputChars;
  function format(args) {
    const out = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === 'string') {
        push(out, slice(a, 0, maxConsole + 1));
      } else if (a instanceof ErrorCtor) {
        const stack = agentStack(a);
        push(out, errorMessage(a) + (stack === undefined ? '' : '\n' + stack));
      } else {
        try {
          const text = toJson(a, maxConsole + 1, true);
          push(out, text === TOO_LARGE ? '[value larger than the console cap]' : text);
        } catch (e) {
          push(out, '[unprintable: ' + errorMessage(e) + ']');
        }
      }
    }
    return join(out, ' ');
  }
  const consoleObject = ObjectCreate(null);
  const levels = ['log', 'info', 'warn', 'error', 'debug'];
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    consoleObject[level] = function (...args) {
      hostLog(level, format(args));
    };
  }
  consoleObject.dir = consoleObject.log;
  consoleObject.trace = consoleObject.debug;

  // fetch through the host's egress proxy; the Response is a plain object (no streams).
  function fetchImpl(input, init) {
    const url = typeof input === 'string' ? input : safeString(input && input.url !== undefined ? input.url : input);
    const opts = init === undefined || init === null ? {} : init;
    const req = record();
    req.url = url;
    req.method = opts.method === undefined ? 'GET' : safeString(opts.method);
    req.headers = record();
    if (opts.headers !== undefined && opts.headers !== null) {
      const keys = ObjectKeys(opts.headers);
      for (let i = 0; i < keys.length; i++) req.headers[keys[i]] = safeString(opts.headers[keys[i]]);
    }
    if (opts.body !== undefined && opts.body !== null) req.body = safeString(opts.body);
    return ReflectApply(PromiseThen, call('net.fetch', req), [(r) => {
      const headerMap = r.headers || {};
      const body = r.body === undefined || r.body === null ? '' : r.body;
      return ObjectFreeze({
        url: r.url,
        status: r.status,
        statusText: r.statusText || '',
        ok: r.status >= 200 && r.status < 300,
        redirected: !!r.redirected,
        headers: ObjectFreeze({
          get: (name) => { const v = headerMap[safeString(name).toLowerCase()]; return v === undefined ? null : v; },
          has: (name) => headerMap[safeString(name).toLowerCase()] !== undefined,
          entries: () => ObjectKeys(headerMap).map((k) => [k, headerMap[k]]),
        }),
        text: () => ReflectApply(PromiseResolve, PromiseCtor, [body]),
        json: () => new PromiseCtor((resolve) => resolve(JSONParse(body))),
      });
    }]);
  }

  const toolCall = (server, tool) => (args) => {
    const req = record();
    req.server = server;
    req.tool = tool;
    req.args = args === undefined ? {} : args;
    return call('tool.call', req);
  };
  // A name the code got wrong (or a server that failed to start) still reaches the host, which answers
  // with what was meant and what there is, instead of "… is not a function".
  // Names an object answers by itself (Object.prototype's, a Java object's) are never taken for a server or
  // tool the code got wrong: probing them finds nothing, as on a plain object, so reflection finds no surface.
  const OWN_OBJECT_NAMES = ObjectCreate(null);
  const ownNames = ObjectGetOwnPropertyNames(ObjectProto);
  for (let i = 0; i < ownNames.length; i++) OWN_OBJECT_NAMES[ownNames[i]] = true;
  const javaNames = ['getClass', 'class', 'getMetaObject', 'hashCode', 'equals', 'notify', 'notifyAll', 'wait',
    'then', 'toJSON'];
  for (let i = 0; i < javaNames.length; i++) OWN_OBJECT_NAMES[javaNames[i]] = true;
  function answerUnknown(target, make) {
    return new ProxyCtor(target, {
      get(t, key) {
        if (typeof key !== 'string' || ObjectHasOwn(t, key) || OWN_OBJECT_NAMES[key] === true
            || (key[0] === '_' && key[1] === '_')) {
          return t[key];
        }
        return make(key);
      },
    });
  }
  function makeServers(spec) {
    const servers = ObjectCreate(null);
    const names = ObjectKeys(spec);
    for (let i = 0; i < names.length; i++) {
      const server = names[i];
      const tools = spec[server];
      const ns = ObjectCreate(null);
      const idents = ObjectKeys(tools);
      for (let j = 0; j < idents.length; j++) {
        ns[idents[j]] = toolCall(server, tools[idents[j]]);
      }
      servers[server] = answerUnknown(ObjectFreeze(ns), (tool) => toolCall(server, tool));
    }
    return answerUnknown(ObjectFreeze(servers),
        (server) => answerUnknown(ObjectFreeze(ObjectCreate(null)), (tool) => toolCall(server, tool)));
  }

  const codemode = ObjectFreeze({
    searchTools: (query) => call('codemode.searchTools', { query: safeString(query) }),
    describeTool: (name) => call('codemode.describeTool', { name: safeString(name) }),
    // A tool by its server's and its own exact names: what generated bindings call through 'codemode:bridge'.
    callTool: (server, tool, args) => toolCall(safeString(server), safeString(tool))(args),
  });

  const define = (name, v) => ObjectDefineProperty(g, name, { value: v, writable: true, enumerable: false, configurable: true });
  delete g.arguments;
  define('console', ObjectFreeze(consoleObject));
  define('fetch', fetchImpl);
  define('servers', makeServers(config.servers || {}));
  define('codemode', codemode);
  if (fsFactory !== undefined && fsFactory !== null) {
    // Built on first use: most runs never touch files, and every run pays for what it builds.
    ObjectDefineProperty(g, 'fs', {
      enumerable: false,
      configurable: true,
      get() {
        const api = fsFactory((op, args) => call('fs.' + op, args));
        define('fs', api);
        return api;
      },
      set(v) {
        define('fs', v);
      },
    });
  }

  // Returned to the host only: attaches the completion handlers to the agent's promise.
  return ObjectFreeze({
    finish(promise, moduleResult, done) {
      const onValue = (v) => {
        let json;
        try {
          json = toJson(moduleResult ? (v === undefined || v === null ? undefined : v.default) : v, config.maxResultChars, false);
        } catch (e) {
          return done('error', describeError(e));
        }
        if (json === TOO_LARGE) return done('limit', '');
        done('ok', json);
      };
      const onError = (e) => done('error', describeError(e));
      ReflectApply(PromiseThen, ReflectApply(PromiseResolve, PromiseCtor, [promise]), [onValue, onError]);
    },
  });
})
