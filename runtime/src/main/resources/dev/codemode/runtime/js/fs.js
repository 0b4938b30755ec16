// The guest's fs API (promise-based, Node-compatible signatures). Evaluates to a function that
// takes call(op, args) -> Promise of the op's JSON value (rejected with an Error carrying .code)
// and returns the frozen fs object. Intrinsics are captured here, so later changes the guest makes
// to globals do not change how this API encodes data.
(function (call) {
  'use strict';
  const U8 = Uint8Array;
  const AB = ArrayBuffer;
  const isView = ArrayBuffer.isView;
  const freeze = Object.freeze;
  const fromCharCode = String.fromCharCode;
  const MakeDate = Date;
  const TypeErr = TypeError;
  const StringCtor = String;
  const ReflectApply = Reflect.apply;
  const toLowerCase = String.prototype.toLowerCase;
  const charCodeAt = String.prototype.charCodeAt;
  const subarray = Uint8Array.prototype.subarray;
  const ParseInt = parseInt;
  const StringSlice = String.prototype.slice;
  const lower = (t) => ReflectApply(toLowerCase, t, []);
  const codeAt = (t, i) => ReflectApply(charCodeAt, t, [i]);
  const HEX = '0123456789abcdef';
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const DECODE = new U8(128).fill(255);
  for (let i = 0; i < 64; i++) {
    DECODE[codeAt(ALPHABET, i)] = i;
  }

  function argError(code, message) {
    const e = new TypeErr(message);
    e.code = code;
    return e;
  }

  function checkPath(path) {
    if (typeof path !== 'string') {
      throw argError('ERR_INVALID_ARG_TYPE', 'The "path" argument must be of type string');
    }
    return path;
  }

  function encodingOf(options) {
    let enc = options;
    if (options !== null && typeof options === 'object') {
      enc = options.encoding;
    }
    if (enc === undefined || enc === null || enc === 'buffer') {
      return null;
    }
    if (typeof enc === 'string') {
      const name = lower(enc);
      if (name === 'utf8' || name === 'utf-8') return 'utf8';
      if (name === 'base64' || name === 'hex') return name;
      if (name === 'latin1' || name === 'binary') return 'latin1';
    }
    throw argError('ERR_INVALID_ARG_VALUE', 'Unsupported encoding: ' + StringCtor(enc));
  }

  function toBase64(bytes) {
    let out = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
      out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
    }
    if (i < bytes.length) {
      const two = i + 1 < bytes.length;
      const n = (bytes[i] << 16) | (two ? bytes[i + 1] << 8 : 0);
      out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + (two ? ALPHABET[(n >> 6) & 63] : '=') + '=';
    }
    return out;
  }

  function fromBase64(text) {
    let end = text.length;
    while (end > 0 && text[end - 1] === '=') end--;
    const out = new U8((end * 3) >> 2);
    let bits = 0;
    let acc = 0;
    let o = 0;
    for (let i = 0; i < end; i++) {
      const c = codeAt(text, i);
      const v = c < 128 ? DECODE[c] : 255;
      if (v === 255) throw argError('ERR_INVALID_ARG_VALUE', 'Invalid base64 data');
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (acc >> bits) & 255;
      }
    }
    return o === out.length ? out : ReflectApply(subarray, out, [0, o]);
  }

  function bytesFromString(text, enc) {
    if (enc === 'hex') {
      if (text.length % 2 !== 0) {
        throw argError('ERR_INVALID_ARG_VALUE', 'Invalid hex data');
      }
      const out = new U8(text.length / 2);
      for (let i = 0; i < out.length; i++) {
        const pair = ReflectApply(StringSlice, text, [i * 2, i * 2 + 2]);
        const v = ParseInt(pair, 16);
        if (!(v >= 0 && v < 256) || !isHexDigit(codeAt(pair, 0)) || !isHexDigit(codeAt(pair, 1))) {
          throw argError('ERR_INVALID_ARG_VALUE', 'Invalid hex data');
        }
        out[i] = v;
      }
      return out;
    }
    const out = new U8(text.length);
    for (let i = 0; i < text.length; i++) out[i] = codeAt(text, i) & 255;
    return out;
  }

  function isHexDigit(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  }

  function stringFromBytes(bytes, enc) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      out += enc === 'hex' ? HEX[bytes[i] >> 4] + HEX[bytes[i] & 15] : fromCharCode(bytes[i]);
    }
    return out;
  }

  function dataArg(data, enc) {
    if (typeof data === 'string') {
      if (enc === null || enc === 'utf8') return data;
      if (enc === 'base64') return { encoding: 'base64', data: toBase64(fromBase64(data)) };
      return { encoding: 'base64', data: toBase64(bytesFromString(data, enc)) };
    }
    if (data instanceof AB) {
      return { encoding: 'base64', data: toBase64(new U8(data)) };
    }
    if (isView(data)) {
      return { encoding: 'base64', data: toBase64(new U8(data.buffer, data.byteOffset, data.byteLength)) };
    }
    throw argError('ERR_INVALID_ARG_TYPE',
        'The "data" argument must be of type string or an instance of Uint8Array or ArrayBuffer');
  }

  function flagOf(options) {
    return options !== null && typeof options === 'object' && options.flag !== undefined ? StringCtor(options.flag) : undefined;
  }

  async function readFile(path, options) {
    checkPath(path);
    const enc = encodingOf(options);
    if (enc === 'utf8') {
      return call('readFile', { path: path, encoding: 'utf8' });
    }
    const result = await call('readFile', { path: path });
    if (enc === 'base64') return result.data;
    const bytes = fromBase64(result.data);
    return enc === null ? bytes : stringFromBytes(bytes, enc);
  }

  async function writeFile(path, data, options) {
    checkPath(path);
    const payload = dataArg(data, encodingOf(options));
    const flag = flagOf(options);
    // Object literals only: defining properties runs no setter the guest put on Object.prototype.
    await call('writeFile', flag === undefined ? { path: path, data: payload } : { path: path, data: payload, flag: flag });
  }

  async function appendFile(path, data, options) {
    checkPath(path);
    await call('appendFile', { path: path, data: dataArg(data, encodingOf(options)) });
  }

  async function readdir(path, options) {
    checkPath(path);
    const withFileTypes = options !== null && typeof options === 'object' && options.withFileTypes === true;
    const entries = await call('readdir', { path: path, withFileTypes: withFileTypes });
    if (!withFileTypes) return entries;
    const out = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      out[i] = freeze({
        name: e.name,
        parentPath: path,
        isFile: () => e.isFile,
        isDirectory: () => e.isDirectory,
        isSymbolicLink: () => false,
      });
    }
    return out;
  }

  async function stat(path) {
    checkPath(path);
    const s = await call('stat', { path: path });
    return freeze({
      size: s.size,
      mtimeMs: s.mtimeMs,
      mtime: new MakeDate(s.mtimeMs),
      isFile: () => s.isFile,
      isDirectory: () => s.isDirectory,
      isSymbolicLink: () => false,
    });
  }

  async function mkdir(path, options) {
    checkPath(path);
    const recursive = options !== null && typeof options === 'object' && options.recursive === true;
    const first = await call('mkdir', { path: path, recursive: recursive });
    return first === null ? undefined : first;
  }

  async function rm(path, options) {
    checkPath(path);
    const o = options !== null && typeof options === 'object' ? options : {};
    await call('rm', { path: path, recursive: o.recursive === true, force: o.force === true });
  }

  const fs = { readFile, writeFile, appendFile, readdir, stat, mkdir, rm };
  fs.promises = fs;
  return freeze(fs);
})
