#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Take the kernel files slabsim compiles out of a tree or a Debian tarball.

Usage: kernel_files.py prepare OUTDIR (--tree PATH | --tarball PATH)
       kernel_files.py table OUT.c VERSION ORIGIN ROOT

'prepare' runs at configure time.  It never changes a kernel file.  A
tarball is extracted in ONE tar call (xz is read sequentially, so one
pass takes what it needs) into OUTDIR/src; a tree is compiled in place
and only its include/linux/sl[au]b*.h are copied.  The files:

  mm/slub.c mm/slab_common.c mm/slab.h include/linux/slab.h
  include/linux/slub_def.h (when the tree has it: 6.1 yes, 6.12 no)

then makes OUTDIR/stubs: an empty header for every other #include those
files name (<linux/mm.h>, "internal.h", ...).  Their content is slabsim's
own alloc/kernel/kcompat.h, force-included before the kernel file.
It prints the VERSION (from the Makefile) and the ROOT the files are
compiled from, one a line, for meson.  A second run for the same tarball
with the files already there does nothing (the extraction happens once).
'table' runs at build time and writes the C table of the files compiled
with their sha256 (kslab_kernel_files()), from the files as they are.
Errors go to stderr with what is wrong, and exit 1.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys

REQUIRED = ['mm/slub.c', 'mm/slab_common.c', 'mm/slab.h', 'include/linux/slab.h']
OPTIONAL = ['include/linux/slub_def.h']
COMPILED = ['mm/slub.c', 'mm/slab_common.c']
INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def die(msg):
    sys.stderr.write('kernel_files.py: error: ' + msg + '\n')
    sys.exit(1)


def makefile_version(text, where):
    v = {}
    for key in ('VERSION', 'PATCHLEVEL', 'SUBLEVEL'):
        m = re.search(r'^' + key + r'\s*=\s*(\d+)\s*$', text, re.M)
        if not m:
            die('%s: no %s line: not a kernel top-level Makefile' % (where, key))
        v[key] = m.group(1)
    return '%s.%s.%s' % (v['VERSION'], v['PATCHLEVEL'], v['SUBLEVEL'])


def take_tree(tree, out):
    """A tree is compiled in place; only its include/linux/sl[au]b*.h are
    copied (the tree's include/ cannot be on the include path: its other
    headers would shadow the compat layer)."""
    if not os.path.isdir(tree):
        die('kernel_tree %s: not a directory' % tree)
    for f in REQUIRED + ['Makefile']:
        if not os.path.isfile(os.path.join(tree, f)):
            die('kernel_tree %s: no %s (a kernel tree with SLUB has it)' % (tree, f))
    for f in REQUIRED[3:] + OPTIONAL:
        src = os.path.join(tree, f)
        if os.path.isfile(src):
            dst = os.path.join(out, 'src', f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)


def take_tarball(tarball, out):
    if not os.path.isfile(tarball):
        die('%s: no such file (install it with: apt-get install %s)'
            % (tarball, os.path.basename(tarball).replace('.tar.xz', '')))
    top = os.path.basename(tarball).replace('.tar.xz', '')
    src = os.path.join(out, 'src')
    os.makedirs(src, exist_ok=True)
    # One sequential pass.  include/linux/sl[au]b*.h matches slab.h in every
    # version, and slub_def.h where it still exists.
    pats = [top + '/' + f for f in ['Makefile', 'mm/slub.c', 'mm/slab_common.c',
                                     'mm/slab.h', 'include/linux/sl[au]b*.h']]
    r = subprocess.run(['tar', '-xJf', tarball, '-C', src, '--strip-components=1',
                        '--wildcards'] + pats, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        die('%s: tar failed: %s' % (tarball, r.stderr.strip()))
    for f in REQUIRED:
        if not os.path.isfile(os.path.join(src, f)):
            die('%s: has no %s' % (tarball, f))


def make_stubs(out, root):
    src = root
    stubs = os.path.join(out, 'stubs')
    names = set()
    for f in REQUIRED + OPTIONAL:
        p = os.path.join(src, f)
        if not os.path.isfile(p):
            continue
        with open(p, encoding='utf-8', errors='replace') as fh:
            for kind, name in INCLUDE_RE.findall(fh.read()):
                here = os.path.join(os.path.dirname(p), name)
                there = os.path.join(out, 'src', 'include', name)
                if kind == '"' and os.path.isfile(here):
                    continue
                if os.path.isfile(there):
                    continue
                names.add(name)
    for name in sorted(names):
        p = os.path.join(stubs, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, 'w') as fh:
            fh.write('/* empty: the names it would give are in alloc/kernel/kcompat.h */\n')
    return sorted(names)


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as fh:
        h.update(fh.read())
    return h.hexdigest()


def write_table(path, version, origin, root):
    src = root
    lines = ['/* SPDX-License-Identifier: GPL-2.0-only */',
             '/* Generated by alloc/kernel/kernel_files.py: the kernel files',
             ' * this build compiles or includes, as taken, unpatched. */',
             '#include "kslab.h"', '',
             'static const struct kslab_kernel_file files[] = {']
    for f in REQUIRED + OPTIONAL:
        p = os.path.join(src, f)
        if os.path.isfile(p):
            lines.append('\t{ "%s", "%s" },' % (f, sha256(p)))
    lines += ['\t{ 0, 0 },', '};', '',
              'const char kslab_kernel_version[] = "%s";' % version,
              'const char kslab_kernel_origin[] = "%s";' % origin.replace('\\', '\\\\').replace('"', '\\"'),
              '', 'const struct kslab_kernel_file *kslab_kernel_files(void)',
              '{', '\treturn files;', '}', '']
    with open(path, 'w') as fh:
        fh.write('\n'.join(lines))


def prepare(out, kind, origin):
    os.makedirs(out, exist_ok=True)
    stamp = os.path.join(out, 'stamp')
    key = origin
    if kind == '--tarball' and os.path.isfile(origin):
        st = os.stat(origin)
        key += ' %d %d' % (st.st_size, int(st.st_mtime))
    root = origin if kind == '--tree' else os.path.join(out, 'src')
    done = (kind == '--tarball' and os.path.isfile(stamp) and open(stamp).read() == key
            and all(os.path.isfile(os.path.join(root, f)) for f in REQUIRED))
    if not done:
        for d in ('src', 'stubs'):
            if os.path.isdir(os.path.join(out, d)):
                shutil.rmtree(os.path.join(out, d))
        if kind == '--tree':
            take_tree(origin, out)
        else:
            take_tarball(origin, out)
        make_stubs(out, root)
        with open(stamp, 'w') as fh:
            fh.write(key)
    with open(os.path.join(root, 'Makefile'), encoding='utf-8', errors='replace') as fh:
        version = makefile_version(fh.read(), origin + '/Makefile')
    print(version)
    print(root)


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == 'prepare' and a[2] in ('--tree', '--tarball'):
        prepare(a[1], a[2], os.path.abspath(a[3]))
    elif len(a) == 5 and a[0] == 'table':
        write_table(a[1], a[2], a[3], a[4])
    else:
        die('usage: kernel_files.py prepare OUTDIR (--tree PATH | --tarball PATH)\n'
            '       kernel_files.py table OUT.c VERSION ORIGIN ROOT')


if __name__ == '__main__':
    main()
