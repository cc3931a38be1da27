"""ansible-playbook under cProfile, main process AND every worker process (a benchmark tool, not a test).

Ansible forks one worker per task and host; the in-process modules, argument templating and module_defaults run
there, out of reach of ``python -m cProfile``. This wrapper patches ``WorkerProcess._run`` so that each worker
writes its own profile, ``<dir>/worker-<action>-<pid>.prof``, and profiles the main process into
``<dir>/main.prof``:

    .venv/bin/python benchmarks/profiled_playbook.py DIR -i hosts.yml playbooks/onboard_chatlio.yml
    .venv/bin/python benchmarks/profiled_playbook.py --report DIR [--top 30]   # merged worker/main profiles

``benchmarks/bench_rollout.py --profile DIR`` runs every scenario through it (one sub-directory per scenario).
"""

from __future__ import annotations

import cProfile
import glob
import os
import pstats
import sys
import time
from collections import Counter


def _patch_workers(directory: str) -> None:
    from ansible.executor.process import worker

    from ansible._internal._templating import _jinja_bits

    original = worker.WorkerProcess._run
    compiled = []
    compile_template = _jinja_bits.AnsibleEnvironment.from_string
    compile_expression = _jinja_bits.AnsibleEnvironment.compile_expression

    def timed(compile_function, kind):
        def wrapper(self, source, *args, **kwargs):
            start = time.perf_counter()
            try:
                return compile_function(self, source, *args, **kwargs)
            finally:
                if isinstance(source, str):
                    compiled.append((time.perf_counter() - start, kind, ' '.join(source.split())[:150]))
        return wrapper

    _jinja_bits.AnsibleEnvironment.from_string = timed(compile_template, 'template')
    _jinja_bits.AnsibleEnvironment.compile_expression = timed(compile_expression, 'expression')

    def profiled_run(self):
        del compiled[:]  # the main process's compiles, inherited by the fork
        profile = cProfile.Profile()
        before = set(sys.modules)
        try:
            return profile.runcall(original, self)
        finally:
            action = (getattr(self._task, 'action', None) or 'task').split('.')[-1]
            path = os.path.join(directory, 'worker-%s-%d' % (action, os.getpid()))
            profile.dump_stats(path + '.prof')
            with open(path + '.imports', 'w') as imported:  # what the worker imported that the main process had not
                imported.write('\n'.join(sorted(set(sys.modules) - before)))
            with open(path + '.templates', 'w') as templates:  # each Jinja compile: seconds (unprofiled: no), kind, source
                templates.write(''.join('%.6f\t%s\t%s\n' % item for item in compiled))

    worker.WorkerProcess._run = profiled_run


def _readable(path: str) -> bool:
    try:
        pstats.Stats(path)
    except (EOFError, ValueError, TypeError):  # a worker that ended before its profile was written
        return False
    return True


def report(directory: str, top: int = 30) -> None:
    """Print the merged worker profile (per action: how many workers, CPU per worker) and the main profile."""
    files = [path for path in sorted(glob.glob(os.path.join(directory, 'worker-*.prof'))) if _readable(path)]
    imports = Counter()
    for path in glob.glob(os.path.join(directory, 'worker-*.imports')):
        with open(path) as imported:
            imports.update(line for line in imported.read().splitlines() if line)
    per_action = Counter()
    time_per_action = Counter()
    for path in files:
        action = os.path.basename(path)[len('worker-'):].rsplit('-', 1)[0]
        per_action[action] += 1
        time_per_action[action] += pstats.Stats(path).total_tt
    print('workers: %d' % len(files))
    for action, count in per_action.most_common():
        print('  %-22s %5d workers  %7.1f ms/worker (profiled)' % (action, count, 1000 * time_per_action[action] / count))
    if imports:
        print('modules imported by workers (not by the main process): %d distinct, %d imports' % (len(imports), sum(imports.values())))
        for name, count in imports.most_common(top):
            print('  %5d  %s' % (count, name))
    templates = Counter()
    template_time = Counter()
    for path in glob.glob(os.path.join(directory, 'worker-*.templates')):
        with open(path) as compiled:
            for line in compiled.read().splitlines():
                seconds, kind, source = line.split('\t', 2)
                templates[(kind, source)] += 1
                template_time[(kind, source)] += float(seconds)
    if templates:
        print('Jinja compiles in workers: %d, %.1f s (profiled); most costly:' % (sum(templates.values()), sum(template_time.values())))
        for key, seconds in template_time.most_common(top):
            print('  %5d x %6.1f ms  %-10s %s' % (templates[key], 1000 * seconds / templates[key], key[0], key[1][:110]))
    if files:
        stats = pstats.Stats(*files)
        stats.files = ['%d worker profiles' % len(files)]  # not one header line per file
        print('\n== all workers, cumulative')
        stats.sort_stats('cumulative').print_stats(top)
        print('\n== all workers, own time')
        stats.sort_stats('tottime').print_stats(top)
    main_path = os.path.join(directory, 'main.prof')
    if os.path.exists(main_path):
        print('\n== main process, own time')
        pstats.Stats(main_path).sort_stats('tottime').print_stats(top)


def main() -> int:
    if sys.argv[1] == '--report':
        top = int(sys.argv[sys.argv.index('--top') + 1]) if '--top' in sys.argv else 30
        report(sys.argv[2], top)
        return 0
    directory = os.path.abspath(sys.argv[1])
    os.makedirs(directory, exist_ok=True)
    _patch_workers(directory)
    from ansible.cli.playbook import main as playbook_main

    sys.argv = ['ansible-playbook'] + sys.argv[2:]
    profile = cProfile.Profile()
    try:
        return profile.runcall(playbook_main)
    finally:
        profile.dump_stats(os.path.join(directory, 'main.prof'))


if __name__ == '__main__':
    sys.exit(main())
