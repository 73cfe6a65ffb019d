import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fengari from 'fengari';

const { lua, lauxlib, lualib, to_luastring, to_jsstring } = fengari;

/** What a health script returned. */
export interface LuaHealth {
  readonly status: string;
  readonly message: string;
}

/** A JSON value as Argo CD hands it to Lua (after `json.Unmarshal` into `unstructured`). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

// Pushes a JSON value the way Argo CD's util/lua decodeValue does: objects and arrays become
// tables (arrays as sequences from 1), null becomes nil.
function push(L: unknown, value: Json): void {
  if (value === null) {
    lua.lua_pushnil(L);
  } else if (typeof value === 'string') {
    lua.lua_pushstring(L, to_luastring(value));
  } else if (typeof value === 'number') {
    lua.lua_pushnumber(L, value);
  } else if (typeof value === 'boolean') {
    lua.lua_pushboolean(L, value);
  } else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, index) => {
      push(L, item);
      lua.lua_rawseti(L, -2, index + 1);
    });
  } else {
    lua.lua_createtable(L, 0, 0);
    for (const [key, item] of Object.entries(value)) {
      push(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  }
}

function field(L: unknown, name: string): string {
  lua.lua_getfield(L, -1, to_luastring(name));
  const value = lua.lua_isstring(L, -1) ? to_jsstring(lua.lua_tostring(L, -1)) : `<${to_jsstring(lua.lua_typename(L, lua.lua_type(L, -1)))}>`;
  lua.lua_pop(L, 1);
  return value;
}

/**
 * Runs a health script in fengari (a Lua 5.3 VM in JavaScript) the way Argo CD
 * runs it in gopher-lua: only the base and table libraries are open, the object
 * is the global `obj`, and the chunk's return value is the verdict. A script
 * that reaches for `string`, `math` or a method on a string fails here as it
 * would in Argo CD.
 */
export function runHealthLua(script: string, obj: Json): LuaHealth {
  const L = lauxlib.luaL_newstate();
  lauxlib.luaL_requiref(L, to_luastring('_G'), lualib.luaopen_base, 1);
  lua.lua_pop(L, 1);
  lauxlib.luaL_requiref(L, to_luastring('table'), lualib.luaopen_table, 1);
  lua.lua_pop(L, 1);
  push(L, obj);
  lua.lua_setglobal(L, to_luastring('obj'));
  if (lauxlib.luaL_loadstring(L, to_luastring(script)) !== lua.LUA_OK || lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) {
    throw new Error(`Lua error: ${to_jsstring(lua.lua_tostring(L, -1))}`);
  }
  if (!lua.lua_istable(L, -1)) {
    throw new Error(`the script returned a ${to_jsstring(lua.lua_typename(L, lua.lua_type(L, -1)))}, not a table`);
  }
  return { status: field(L, 'status'), message: field(L, 'message') };
}

/** A Lua 5.1 literal of a JSON value (tables for objects and arrays, nil for null). */
function luaLiteral(value: Json): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') {
    return `"${[...value].map((c) => (c === '"' || c === '\\' ? `\\${c}` : c < ' ' || c === '\x7f' ? `\\${c.charCodeAt(0)}` : c)).join('')}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(luaLiteral).join(', ')}}`;
  return `{${Object.entries(value)
    .map(([key, item]) => `[${luaLiteral(key)}] = ${luaLiteral(item)}`)
    .join(', ')}}`;
}

/** True when Debian's `lua5.1` interpreter is on PATH. */
export function hasLua51(): boolean {
  try {
    execFileSync('lua5.1', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a health script over many objects in one `lua5.1` process (real Lua 5.1,
 * the language gopher-lua implements). The script runs in an environment with
 * the base functions and the table library only, one object at a time.
 */
export function runHealthLua51(script: string, objects: readonly Json[]): LuaHealth[] {
  const dir = mkdtempSync(join(tmpdir(), 'health-lua-'));
  try {
    const scriptFile = join(dir, 'health.lua');
    writeFileSync(scriptFile, script);
    const harness = [
      `local chunk = assert(loadfile(${luaLiteral(scriptFile)}))`,
      `local cases = {${objects.map(luaLiteral).join(',\n')}}`,
      'for i = 1, #cases do',
      '  local env = { table = table }',
      '  for key, value in pairs(_G) do if type(value) == "function" then env[key] = value end end',
      '  env.obj = cases[i]',
      '  setfenv(chunk, env)',
      '  local ok, hs = pcall(chunk)',
      '  if not ok then io.write("error\\1", tostring(hs), "\\n")',
      '  else io.write(tostring(hs.status), "\\1", tostring(hs.message), "\\n") end',
      'end',
    ].join('\n');
    const harnessFile = join(dir, 'harness.lua');
    writeFileSync(harnessFile, harness);
    const output = execFileSync('lua5.1', [harnessFile], { encoding: 'utf8' });
    return output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [status, message] = line.split('\x01');
        return { status, message };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
