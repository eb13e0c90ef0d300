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
OPTIONAL = ['include/linux/slub_def.h', 'lib/slub_kunit.c']
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
                                     'mm/slab.h', 'include/linux/sl[au]b*.h',
                                     'lib/slub_kunit.c']]
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


def write_table(path, version, origin, root, override=None):
    src = root
    lines = ['/* SPDX-License-Identifier: GPL-2.0-only */',
             '/* Generated by alloc/kernel/kernel_files.py: the kernel files',
             ' * this build compiles or includes, as taken, unpatched. */',
             '#include "kslab.h"', '',
             'static const struct kslab_kernel_file files[] = {']
    for f in REQUIRED + OPTIONAL:
        p = os.path.join(src, f)
        if override and os.path.isfile(os.path.join(override, f)):
            p = os.path.join(override, f)
            f += ' (patched in the build directory)'
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
    key = origin + ' ' + ','.join(REQUIRED + OPTIONAL)
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


# The 2022 fix "mm/slub: add missing TID updates on slab deactivation"
# (Jann Horn, eeaa345e1288, v5.19) added these two tid bumps to
# ___slab_alloc; each is the line after its context, as 6.1 has them.
TID_FIX_SITES = [
    ('\tif (!freelist) {\n\t\tc->slab = NULL;\n', '\t\tc->tid = next_tid(c->tid);\n'),
    ('\tfreelist = c->freelist;\n\tc->slab = NULL;\n\tc->freelist = NULL;\n',
     '\tc->tid = next_tid(c->tid);\n'),
]


def revert_tid(src, dst):
    """A copy of slub.c without the 2022 fix's two tid bumps (the explorer's
    test on real code, tests/check_kernel_tid_revert.py); never in the
    repository, only in the build directory."""
    with open(src, encoding='utf-8') as fh:
        text = fh.read()
    for context, bump in TID_FIX_SITES:
        site = context + bump
        if text.count(site) != 1:
            die('%s: the 2022 TID fix is not where 6.1 has it (%d sites like %r)'
                % (src, text.count(site), site))
        text = text.replace(site, context)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if not os.path.isfile(dst) or open(dst, encoding='utf-8').read() != text:
        with open(dst, 'w', encoding='utf-8') as fh:
            fh.write(text)


def write_sites(nm, obj, out, name):
    """The functions of a kernel object's code (kslab.ld: one section from
    kslab_text_start), by offset: the table that names a point's site
    (sim/engine/kernel_machine.c)."""
    r = subprocess.run([nm, '-n', '-S', '--defined-only', obj], capture_output=True, text=True)
    if r.returncode != 0:
        die('%s: nm failed: %s' % (obj, r.stderr.strip()))
    rows = []
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in 'tT' and not f[3].startswith('.'):
            rows.append((int(f[0], 16), int(f[1], 16), f[3]))
    if not rows:
        die('%s: no functions' % obj)
    lines = ['/* Generated by alloc/kernel/kernel_files.py sites from %s. */'
             % os.path.basename(obj), '#include "kernel_machine.h"', '',
             'const struct sim_kernel_site %s[] = {' % name]
    lines += ['\t{ %#x, %#x, "%s" },' % row for row in rows]
    lines += ['};', 'const unsigned %s_count = %d;' % (name, len(rows)), '']
    with open(out, 'w') as fh:
        fh.write('\n'.join(lines))


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == 'prepare' and a[2] in ('--tree', '--tarball'):
        prepare(a[1], a[2], os.path.abspath(a[3]))
    elif len(a) in (5, 6) and a[0] == 'table':
        write_table(a[1], a[2], a[3], a[4], a[5] if len(a) == 6 else None)
    elif len(a) == 3 and a[0] == 'revert-tid':
        revert_tid(a[1], a[2])
    elif len(a) == 5 and a[0] == 'sites':
        write_sites(a[1], a[2], a[3], a[4])
    else:
        die('usage: kernel_files.py prepare OUTDIR (--tree PATH | --tarball PATH)\n'
            '       kernel_files.py table OUT.c VERSION ORIGIN ROOT [OVERRIDE]\n'
            '       kernel_files.py revert-tid SLUB.C OUT/mm/slub.c\n'
            '       kernel_files.py sites NM OBJECT OUT.c NAME')


if __name__ == '__main__':
    main()
