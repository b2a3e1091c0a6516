/* A ray tracer: spheres and a plane, diffuse and specular shading, shadows and reflections, rendered to a PPM image
   in memory; prints a checksum and an ASCII preview. Uses only IEEE-exact operations (+ - * / sqrt) so that every
   platform computes the same pixels. */
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include "rounds.h"

typedef struct { double x, y, z; } vec;
static vec v(double x, double y, double z) { vec r = {x, y, z}; return r; }
static vec add(vec a, vec b) { return v(a.x + b.x, a.y + b.y, a.z + b.z); }
static vec sub(vec a, vec b) { return v(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec mul(vec a, double s) { return v(a.x * s, a.y * s, a.z * s); }
static double dot(vec a, vec b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static vec norm(vec a) { return mul(a, 1.0 / sqrt(dot(a, a))); }

typedef struct { vec center; double radius; vec color; double reflect; } sphere;
static const sphere spheres[] = {
    {{0, 1, 5}, 1, {0.9, 0.2, 0.2}, 0.3},
    {{-2.2, 0.8, 6}, 0.8, {0.2, 0.9, 0.3}, 0.1},
    {{2, 0.6, 4}, 0.6, {0.3, 0.4, 1.0}, 0.6},
    {{0.6, 0.3, 2.8}, 0.3, {1.0, 0.9, 0.2}, 0.0},
};
#define NSPHERES 4
static const vec light = {-4, 6, -2};

/* Distance along the ray to the nearest hit; which object (-1 floor, index of sphere, -2 nothing). */
static double hit(vec origin, vec dir, int *what) {
    double best = 1e30;
    *what = -2;
    for (int i = 0; i < NSPHERES; i++) {
        vec oc = sub(origin, spheres[i].center);
        double b = dot(oc, dir), c = dot(oc, oc) - spheres[i].radius * spheres[i].radius, d = b * b - c;
        if (d < 0) continue;
        double t = -b - sqrt(d);
        if (t > 1e-6 && t < best) { best = t; *what = i; }
    }
    if (dir.y < -1e-9) {
        double t = -origin.y / dir.y;
        if (t > 1e-6 && t < best) { best = t; *what = -1; }
    }
    return best;
}

static vec trace(vec origin, vec dir, int depth) {
    int what;
    double t = hit(origin, dir, &what);
    if (what == -2) { double k = 0.5 * (dir.y + 1); return v(0.5 + 0.3 * k, 0.7 + 0.2 * k, 1.0); }
    vec p = add(origin, mul(dir, t)), n, color;
    double reflect;
    if (what == -1) {
        n = v(0, 1, 0);
        int check = ((int)(p.x + 1000) + (int)(p.z + 1000)) & 1;
        color = check ? v(0.9, 0.9, 0.9) : v(0.2, 0.2, 0.2);
        reflect = 0.2;
    } else {
        n = norm(sub(p, spheres[what].center));
        color = spheres[what].color;
        reflect = spheres[what].reflect;
    }
    vec to_light = norm(sub(light, p));
    int blocker;
    double light_distance = sqrt(dot(sub(light, p), sub(light, p)));
    int shadow = hit(add(p, mul(n, 1e-4)), to_light, &blocker) < light_distance;
    double diffuse = dot(n, to_light);
    if (diffuse < 0 || shadow) diffuse = 0;
    vec half = norm(sub(to_light, dir));
    double spec = dot(n, half);
    spec = spec < 0 || shadow ? 0 : spec;
    for (int i = 0; i < 5; i++) spec *= spec; /* spec^32 */
    vec result = add(mul(color, 0.1 + 0.9 * diffuse), v(spec, spec, spec));
    if (depth < 4 && reflect > 0) {
        vec r = sub(dir, mul(n, 2 * dot(dir, n)));
        result = add(mul(result, 1 - reflect), mul(trace(add(p, mul(n, 1e-4)), r, depth + 1), reflect));
    }
    return result;
}

#define W 320
#define H 200
static uint8_t image[H][W][3];

static int run_once(int argc, char **argv) {
    (void)argc; (void)argv;
    vec eye = v(0, 1.5, -3);
    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            vec sum = v(0, 0, 0);
            for (int s = 0; s < 4; s++) { /* 2x2 supersampling */
                double px = (x + 0.25 + 0.5 * (s & 1) - W / 2.0) / H, py = (H / 2.0 - y - 0.25 - 0.5 * (s >> 1)) / H;
                sum = add(sum, trace(eye, norm(v(px, py - 0.1, 1)), 0));
            }
            sum = mul(sum, 0.25);
            double c[3] = {sum.x, sum.y, sum.z};
            for (int k = 0; k < 3; k++) image[y][x][k] = (uint8_t)(c[k] >= 1 ? 255 : c[k] <= 0 ? 0 : (int)(c[k] * 255 + 0.5));
        }
    }
    uint32_t h = 2166136261u;
    for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) for (int k = 0; k < 3; k++) h = (h ^ image[y][x][k]) * 16777619u;
    printf("P6 %dx%d image, fnv %08x\n", W, H, h);
    const char *ramp = " .:-=+*#%@";
    for (int y = 0; y < H; y += 10) {
        for (int x = 0; x < W; x += 5) {
            int l = (image[y][x][0] * 3 + image[y][x][1] * 6 + image[y][x][2]) / 10;
            putchar(ramp[l * 9 / 255]);
        }
        putchar('\n');
    }
    return 0;
}
