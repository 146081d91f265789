#!/usr/bin/env python3
"""Writes the generated inputs of the peer fixtures (see README.md) into a directory.

Random bytes: SplitMix64 with the given seed; each 64-bit output gives 8 bytes little-endian;
the stream is cut at the wanted length. Holes: the file is truncated to its size first and only
the listed data runs are written, so everything else is a hole (SEEK_HOLE).
"""
import os
import sys

MASK = (1 << 64) - 1
MiB = 1 << 20


def splitmix64(seed, length):
    state = seed & MASK
    out = bytearray()
    while len(out) < length:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z = z ^ (z >> 31)
        out += z.to_bytes(8, "little")
    return bytes(out[:length])


# name -> (size, [(offset, kind, seed_or_none, length)])  kind: "random" | "zero"
INPUTS = {
    "empty": (0, []),
    "random-1": (1, [(0, "random", 1, 1)]),
    "random-511": (511, [(0, "random", 511, 511)]),
    "random-512": (512, [(0, "random", 512, 512)]),
    "random-65537": (65537, [(0, "random", 65537, 65537)]),
    "random-4MiB+1": (4 * MiB + 1, [(0, "random", 4 * MiB + 1, 4 * MiB + 1)]),
    "hole-100001": (100001, []),
    "sparse-3MiB+1000": (
        3 * MiB + 1000,
        [
            (0, "random", 7, 4096),
            (MiB + 512, "random", 8, 70000),
            (2 * MiB, "zero", None, 65536),
            (3 * MiB, "random", 9, 1000),
        ],
    ),
}


def write(directory, name):
    size, runs = INPUTS[name]
    path = os.path.join(directory, name + ".raw")
    with open(path, "wb") as f:
        f.truncate(size)
        for offset, kind, seed, length in runs:
            f.seek(offset)
            f.write(splitmix64(seed, length) if kind == "random" else bytes(length))
    return path


if __name__ == "__main__":
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    for n in INPUTS:
        print(write(directory, n))
