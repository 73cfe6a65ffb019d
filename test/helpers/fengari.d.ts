// The part of fengari's C-like API (Lua 5.3 in JavaScript) that test/helpers/lua.ts uses.
// fengari ships no type declarations; states and strings are opaque here.
declare module 'fengari' {
  type State = unknown;
  type LuaString = Uint8Array;
  type CFunction = (L: State) => number;

  const fengari: {
    to_luastring(value: string): LuaString;
    to_jsstring(value: LuaString): string;
    lua: {
      LUA_OK: number;
      lua_createtable(L: State, arrayItems: number, hashItems: number): void;
      lua_getfield(L: State, index: number, key: LuaString): number;
      lua_isstring(L: State, index: number): boolean;
      lua_istable(L: State, index: number): boolean;
      lua_pcall(L: State, args: number, results: number, handler: number): number;
      lua_pop(L: State, count: number): void;
      lua_pushboolean(L: State, value: boolean): void;
      lua_pushnil(L: State): void;
      lua_pushnumber(L: State, value: number): void;
      lua_pushstring(L: State, value: LuaString): void;
      lua_rawseti(L: State, index: number, key: number): void;
      lua_setfield(L: State, index: number, key: LuaString): void;
      lua_setglobal(L: State, name: LuaString): void;
      lua_tostring(L: State, index: number): LuaString;
      lua_type(L: State, index: number): number;
      lua_typename(L: State, type: number): LuaString;
    };
    lauxlib: {
      luaL_newstate(): State;
      luaL_loadstring(L: State, source: LuaString): number;
      luaL_requiref(L: State, name: LuaString, open: CFunction, global: number): void;
    };
    lualib: {
      luaopen_base: CFunction;
      luaopen_table: CFunction;
    };
  };
  export default fengari;
}
