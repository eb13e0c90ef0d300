#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""compat_stats.py [DIR] - the size of the compat layer the kernel files
compile against (alloc/kernel/compat/ by default), per header: lines, macros,
functions, types, and how many of the macros and functions are no-ops (a
macro that expands to nothing, 0, false, NULL or a (void) cast; a function
whose body is empty or returns a constant): what is stubbed, by category.
A line-based count, close to but not exactly a C parser's.
"""
import glob
import os
import re
import sys

NOOP_MACRO = re.compile(
    r'^\s*(|do\s*\{\s*\}\s*while\s*\(\s*0\s*\)|\(\s*\(?void\)?\s*\(?0\)?\s*\)|0|false|\(0\)'
    r'|\(false\)|NULL|\(\(void\)\s*\(?[\w\s,]*\)?\)|\(void\)\s*\(?\w*\)?|\{\s*\})\s*$')
FUNCTION = re.compile(
    r'^(?:static\s+(?:inline\s+)?|extern\s+)?(?:const\s+)?(?:unsigned\s+|struct\s+)?'
    r'\w+[\s\*]+(\w+)\s*\(([^;{)]*)\)\s*(\{[^{}]*\}|;)', re.M)
NOOP_BODY = re.compile(r'^\{\s*(return\s+(0|false|NULL|-?\w+)\s*;)?\s*\}$')
TYPE = re.compile(r'^\s*(?:typedef\b|struct\s+\w+\s*\{|enum\s+\w*\s*\{|union\s+\w+\s*\{)', re.M)


def stats(path):
    text = open(path).read()
    joined = re.sub(r'\\\n', ' ', text)
    macros = re.findall(r'^\s*#\s*define\s+(\w+)(\([^)]*\))?(.*)$', joined, re.M)
    functions = FUNCTION.findall(joined)
    noops = sum(1 for _, _, body in macros if NOOP_MACRO.match(body.split('/*')[0]))
    noops += sum(1 for _, _, body in functions if NOOP_BODY.match(body))
    return (text.count('\n'), len(macros), len(functions), len(TYPE.findall(text)), noops)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'compat')
    fmt = '%-14s %6s %7s %9s %6s %7s'
    print(fmt % ('header', 'lines', 'macros', 'functions', 'types', 'no-ops'))
    total = [0] * 5
    for path in sorted(glob.glob(os.path.join(folder, '*.h'))):
        row = stats(path)
        total = [a + b for a, b in zip(total, row)]
        print(fmt % ((os.path.basename(path),) + row))
    print(fmt % (('total',) + tuple(total)))


if __name__ == '__main__':
    main()
