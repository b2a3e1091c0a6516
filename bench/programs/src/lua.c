/* Lua 5.5 (https://github.com/lua/lua, sources unchanged in ../third_party/lua, MIT licence there) interpreting a
 * benchmark script: recursion, a sieve, string building and matching, closures and objects, table.sort with a
 * comparator, floating point (n-body steps, sqrt only so that every libm agrees). The script is embedded so the
 * program needs no file. "lua [ROUNDS]" runs it ROUNDS times (see rounds.h: later rounds' output is hashed). */
#ifdef __wasi__
/* wasi-libc has no signals, tmpnam, tmpfile, clock or system; the script uses none of them. setjmp comes from
 * ../third_party/include-wasi (a stub: Lua raises no error here). */
#define _WASI_EMULATED_SIGNAL
#define lua_tmpnam(b, e) { e = -1; }
#define LUA_TMPNAMBUFSIZE 32
#endif
#include <stdio.h>
#include <string.h>

static int bench_quiet;
static unsigned bench_hash = 2166136261u;
static void bench_write(const char *s, size_t n) {
    if (!bench_quiet) { fwrite(s, 1, n, stdout); return; }
    for (size_t i = 0; i < n; i++) bench_hash = (bench_hash ^ (unsigned char)s[i]) * 16777619u;
}
#define lua_writestring(s, l) bench_write((s), (l))
#define lua_writeline() bench_write("\n", 1)

#define MAKE_LIB
#include "../third_party/lua/onelua.c"

#ifdef __wasi__
FILE *tmpfile(void) { return NULL; }
int system(const char *command) { (void)command; return -1; }
clock_t clock(void) { return 0; }
#endif

static const char *script =
"local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end\n"
"print('fib', fib(25))\n"
"local function sieve(n)\n"
"  local composite, count = {}, 0\n"
"  for i = 2, n do\n"
"    if not composite[i] then count = count + 1; for j = i*i, n, i do composite[j] = true end end\n"
"  end\n"
"  return count\n"
"end\n"
"print('primes', sieve(300000))\n"
"local parts = {}\n"
"for i = 1, 20000 do parts[#parts+1] = string.format('%d:%x;', i, i*7) end\n"
"local s = table.concat(parts)\n"
"local sum = 0\n"
"for a, b in s:gmatch('(%d+):(%x+);') do sum = sum + tonumber(a) + tonumber(b, 16) end\n"
"print('strings', #s, sum, (s:gsub('1', 'one')):len())\n"
"local Account = {}; Account.__index = Account\n"
"function Account.new(b) return setmetatable({balance = b, log = 0}, Account) end\n"
"function Account:deposit(v) self.balance = self.balance + v; self.log = self.log + 1 end\n"
"local total = 0\n"
"for i = 1, 3000 do local a = Account.new(i) for j = 1, 50 do a:deposit(j % 7) end total = total + a.balance + a.log end\n"
"print('objects', total)\n"
"local function counter() local c = 0 return function() c = c + 1 return c end end\n"
"local acc = 0\n"
"for i = 1, 2000 do local f = counter() for j = 1, 40 do acc = acc + f() end end\n"
"print('closures', acc)\n"
"local seed = 42\n"
"local function rand() seed = (seed * 1103515245 + 12345) % 2147483648 return seed end\n"
"local t = {}\n"
"for i = 1, 60000 do t[i] = rand() % 1000000 end\n"
"table.sort(t, function(x, y) return x > y end)\n"
"local ok = true\n"
"for i = 2, #t do if t[i-1] < t[i] then ok = false end end\n"
"print('sort', ok, t[1], t[#t], t[30000])\n"
"local bodies = {}\n"
"for i = 1, 5 do bodies[i] = {x = i, y = i * 0.5, z = -i, vx = 0, vy = 0.01 * i, vz = 0, m = 1 + i * 0.1} end\n"
"for step = 1, 4000 do\n"
"  for i = 1, #bodies do local bi = bodies[i]\n"
"    for j = i + 1, #bodies do local bj = bodies[j]\n"
"      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z\n"
"      local d2 = dx*dx + dy*dy + dz*dz\n"
"      local mag = 0.001 / (d2 * math.sqrt(d2))\n"
"      bi.vx = bi.vx - dx * bj.m * mag; bi.vy = bi.vy - dy * bj.m * mag; bi.vz = bi.vz - dz * bj.m * mag\n"
"      bj.vx = bj.vx + dx * bi.m * mag; bj.vy = bj.vy + dy * bi.m * mag; bj.vz = bj.vz + dz * bi.m * mag\n"
"    end\n"
"  end\n"
"  for i = 1, #bodies do local b = bodies[i] b.x = b.x + 0.001 * b.vx; b.y = b.y + 0.001 * b.vy; b.z = b.z + 0.001 * b.vz end\n"
"end\n"
"print('nbody', string.format('%.9f %.9f', bodies[1].x, bodies[5].vz))\n";

static int bench_is_number(const char *s) {
    if (!*s) return 0;
    for (; *s; s++) if (*s < '0' || *s > '9') return 0;
    return 1;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 && bench_is_number(argv[argc - 1]) ? atoi(argv[argc - 1]) : 1;
    for (int round = 0; round < rounds; round++) {
        bench_quiet = round > 0;
        lua_State *L = luaL_newstate();
        luaL_openlibs(L);
        if (luaL_dostring(L, script)) { fprintf(stderr, "lua: %s\n", lua_tostring(L, -1)); return 1; }
        lua_close(L);
    }
    fflush(stdout);
    if (rounds > 1) printf("rounds %d, output hash %08x\n", rounds, bench_hash);
    return 0;
}
