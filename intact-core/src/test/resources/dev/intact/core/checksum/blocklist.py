"""Block-hash lists straight from checksums.md, with Python's hashlib as the independent peer.

usage: blocklist.py imageio|blkhash INNER BLOCK_SIZE FILE
"""
import hashlib
import struct
import sys


def new_hash(name):
    if name.startswith("blake2b-"):
        return hashlib.blake2b(digest_size=int(name.split("-")[1]) // 8)
    return hashlib.new(name)


construction, inner, block_size, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
outer = new_hash(inner)
length = 0
with open(path, "rb") as f:
    while True:
        block = f.read(block_size)
        if not block:
            break
        h = new_hash(inner)
        h.update(block)
        outer.update(h.digest())
        length += len(block)
if construction == "blkhash":
    outer.update(struct.pack("<Q", length))
print(outer.hexdigest())
