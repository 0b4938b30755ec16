// codemode timers: setTimeout, setInterval, their clears and queueMicrotask, evaluated after the prelude
// and before any agent code. The host wakes a timer on the context's own thread; it caps how many may be
// pending and cancels them all when the run ends. Intrinsics are captured first, as in the prelude.
(function (hostArm, hostDisarm) {
  'use strict';
  const g = globalThis;
  const ReflectApply = Reflect.apply;
  const ObjectDefineProperty = Object.defineProperty;
  const MapCtor = Map;
  const MapGet = Map.prototype.get;
  const MapSet = Map.prototype.set;
  const MapDelete = Map.prototype.delete;
  const PromiseCtor = Promise;
  const PromiseResolve = Promise.resolve;
  const PromiseThen = Promise.prototype.then;
  const NumberCtor = Number;
  const NumberIsFinite = Number.isFinite;
  const MathFloor = Math.floor;
  const TypeErrorCtor = TypeError;
  const ArraySlice = Array.prototype.slice;

  const timers = new MapCtor();
  let nextId = 1;

  function delayOf(ms) {
    const n = NumberCtor(ms);
    return NumberIsFinite(n) && n > 0 ? MathFloor(n) : 0;
  }

  function fire(id) {
    const t = ReflectApply(MapGet, timers, [id]);
    if (t === undefined) return;
    if (t.repeat) {
      hostArm(id, t.ms, fire);
    } else {
      ReflectApply(MapDelete, timers, [id]);
    }
    ReflectApply(t.fn, undefined, t.args);
  }

  function schedule(name, fn, ms, args, repeat) {
    if (typeof fn !== 'function') {
      throw new TypeErrorCtor(name + ' needs a function as its first argument (code strings are not evaluated)');
    }
    const id = nextId++;
    const delay = repeat ? (delayOf(ms) || 1) : delayOf(ms);
    // The host throws when too many timers are pending; nothing is recorded then.
    hostArm(id, delay, fire);
    ReflectApply(MapSet, timers, [id, { fn, ms: delay, args, repeat }]);
    return id;
  }

  function clear(id) {
    const n = NumberCtor(id);
    if (ReflectApply(MapDelete, timers, [n])) hostDisarm(n);
  }

  const api = {
    setTimeout(fn, ms) {
      return schedule('setTimeout', fn, ms, ReflectApply(ArraySlice, arguments, [2]), false);
    },
    setInterval(fn, ms) {
      return schedule('setInterval', fn, ms, ReflectApply(ArraySlice, arguments, [2]), true);
    },
    clearTimeout(id) {
      clear(id);
    },
    clearInterval(id) {
      clear(id);
    },
    queueMicrotask(fn) {
      if (typeof fn !== 'function') throw new TypeErrorCtor('queueMicrotask needs a function');
      ReflectApply(PromiseThen, ReflectApply(PromiseResolve, PromiseCtor, []), [() => fn()]);
    },
  };
  const names = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask'];
  for (let i = 0; i < names.length; i++) {
    ObjectDefineProperty(g, names[i], { value: api[names[i]], writable: true, enumerable: false, configurable: true });
  }
})
