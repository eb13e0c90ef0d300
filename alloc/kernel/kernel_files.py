#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Take the kernel files slabsim compiles out of a tree or a Debian tarball.

Usage: kernel_files.py prepare OUTDIR (--tree PATH | --tarball PATH)
       kernel_files.py table OUT.c VERSION ORIGIN ROOT [OVERRIDE]
       kernel_files.py revert-tid SLUB.C OUT/mm/slub.c
       kernel_files.py sites OBJDUMP ADDR2LINE OBJECT OUT.c NAME

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
'sites' runs at build time and writes the table of a kernel object's
sites, FUNCTION:LINE[K] by return address, from its code (objdump) and
its debug info (addr2line): how points of a kernel design are named
(sim/engine/kernel_machine.h).
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


# Clone suffixes GCC adds to a function's symbol (___slab_alloc.constprop.0):
# a site names the function as the source does.
CLONE_SUFFIX_RE = re.compile(r'(\.(constprop|isra|part|cold|lto_priv)(\.\d+)?)+$')
CALL_RE = re.compile(r'^\s*([0-9a-f]+):\s+call\s')
NEXT_RE = re.compile(r'^\s*([0-9a-f]+):\s')
KERNEL_FILE_RE = re.compile(r'/(mm|lib)/[^/:]+\.c:\d+')
RELOC_RE = re.compile(r'^\s*[0-9a-f]+:\s+R_X86_64_(?:PLT32|PC32)\s+([^\s+-]+)')


def access_class(callee):
    """What a call to callee makes: a load, a store or an atomic (GCC's
    -fsanitize=thread hooks, kslab_tsan.c), a primitive (kslab_glue.c's
    kslab_p_*), a memory range (kslab_memset/memcpy/memmove), or None: not
    a point."""
    if callee.startswith('__tsan_atomic'):
        return 'atomic'
    if callee.startswith('__tsan_'):
        if 'read' in callee:
            return 'load'
        if 'write' in callee:
            return 'store'
        return None
    if callee.startswith('kslab_p_') or callee == 'kslab_run_work_on':
        return callee
    if callee in ('kslab_memset', 'kslab_memcpy', 'kslab_memmove'):
        return 'range'  # the compat layer's memory functions (kc_stubs.h)
    return None


def instrumented_calls(objdump, obj):
    """(call address, return address, class) of every call in obj's code
    that makes a point; the callee from the call's relocation (a relocatable
    object's calls are still relocations) or objdump's <symbol>."""
    r = subprocess.run([objdump, '-d', '-r', '--no-show-raw-insn', '-j', '.text.kslab', obj],
                       capture_output=True, text=True)
    if r.returncode != 0:
        die('%s: objdump failed: %s' % (obj, r.stderr.strip()))
    calls = []
    # [address, objdump's <symbol>, the relocation's symbol]: a call whose
    # return address is the next instruction's.
    pending = None
    for line in r.stdout.splitlines():
        m = RELOC_RE.match(line)
        if m and pending:
            pending[2] = m.group(1)
            continue
        m = NEXT_RE.match(line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        if pending:
            # A relocation, when there is one, names the real callee:
            # objdump's <symbol> is then where the unrelocated call points.
            kind = access_class(pending[2] or pending[1] or '')
            if kind:
                calls.append((pending[0], addr, kind))
            pending = None
        if CALL_RE.match(line):
            sym = re.search(r'<([^>+]+)(?:\+0x[0-9a-f]+)?>\s*$', line)
            pending = [addr, sym.group(1) if sym and '*' not in line else None, None]
    return calls


def source_lines(addr2line, obj, addrs):
    """For each address, the function it is in as the source names it (the
    outermost of the inlined frames, clone suffix stripped) and the line of
    the access: in the innermost frame in a kernel .c file, which may be a
    helper inlined into that function (a line in a header, the compat
    layer's or mm/slab.h's, gives way to the kernel file's line that
    reaches it)."""
    r = subprocess.run([addr2line, '-a', '-f', '-i', '-e', obj, '-j', '.text.kslab'],
                       input=''.join('%#x\n' % a for a in addrs), capture_output=True, text=True)
    if r.returncode != 0:
        die('%s: addr2line failed: %s' % (obj, r.stderr.strip()))
    # -a: each answer starts with the address, then (function, file:line) per frame.
    answers = []
    for line in r.stdout.splitlines():
        if re.match(r'^0x[0-9a-f]+$', line):
            answers.append([])
        elif answers:
            answers[-1].append(line)
    if len(answers) != len(addrs):
        die('%s: addr2line answered %d of %d addresses' % (obj, len(answers), len(addrs)))
    out = []
    for a in answers:
        frames = [(CLONE_SUFFIX_RE.sub('', a[i]), a[i + 1]) for i in range(0, len(a) - 1, 2)]
        if not frames:
            die('%s: addr2line gave no frame' % obj)
        kernel = [w for _, w in frames if KERNEL_FILE_RE.search(w)]
        where = kernel[0] if kernel else frames[-1][1]
        ln = re.search(r':(\d+)', where)
        out.append((frames[-1][0], int(ln.group(1)) if ln else 0))
    return out


def write_sites(objdump, addr2line, obj, out, name):
    """The sites of a kernel object's points (kslab.ld: its code is one
    section from kslab_text_start), by return address: FUNCTION:LINE from the
    debug info, and [K] after it where that line makes several calls of one
    class (loads, stores, atomics, one primitive), K in address order.  The
    table that names a point's site (sim/engine/kernel_machine.c)."""
    calls = instrumented_calls(objdump, obj)
    if not calls:
        die('%s: no instrumented calls' % obj)
    where = source_lines(addr2line, obj, [c[0] for c in calls])
    groups = {}
    for (call, ret, kind), (fn, line) in zip(calls, where):
        groups.setdefault((fn, line, kind), []).append(ret)
    rows = []
    for (fn, line, kind), rets in groups.items():
        for k, ret in enumerate(sorted(rets)):
            site = '%s:%d' % (fn, line) + ('[%d]' % (k + 1) if len(rets) > 1 else '')
            rows.append((ret, site))
    rows.sort()
    lines = ['/* Generated by alloc/kernel/kernel_files.py sites from %s. */'
             % os.path.basename(obj), '#include "kernel_machine.h"', '',
             'const struct sim_kernel_site %s[] = {' % name]
    lines += ['\t{ %#x, "%s" },' % row for row in rows]
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
    elif len(a) == 6 and a[0] == 'sites':
        write_sites(a[1], a[2], a[3], a[4], a[5])
    else:
        die('usage: kernel_files.py prepare OUTDIR (--tree PATH | --tarball PATH)\n'
            '       kernel_files.py table OUT.c VERSION ORIGIN ROOT [OVERRIDE]\n'
            '       kernel_files.py revert-tid SLUB.C OUT/mm/slub.c\n'
            '       kernel_files.py sites OBJDUMP ADDR2LINE OBJECT OUT.c NAME')


if __name__ == '__main__':
    main()
