#!/usr/bin/env python3
# Runs one libFuzzer target for a bounded time over a copy of its seed corpus (so the source
# tree is never written to) and fails on any finding. Prints the final statistics, e.g.
#   fuzz-json: 1234567 executions in 20 s (61728/s), corpus 12 -> 240, peak RSS 80 MB
# Usage: run-fuzzer.py FUZZER SEED-CORPUS-DIR [DICTIONARY]
# TESSERA_FUZZ_SECONDS sets the time (default 20). A crashing input is kept in
# fuzz-artifacts/<target>/ beside the fuzzer; add it to the seed corpus once it is fixed.
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run-fuzzer.py FUZZER SEED-CORPUS-DIR [DICTIONARY]")
    fuzzer, seeds = os.path.abspath(sys.argv[1]), sys.argv[2]
    dictionary = sys.argv[3] if len(sys.argv) > 3 else None
    name = os.path.basename(fuzzer)
    seconds = int(os.environ.get("TESSERA_FUZZ_SECONDS", "20"))

    artifacts = os.path.join(os.path.dirname(os.path.abspath(fuzzer)), "fuzz-artifacts", name)
    os.makedirs(artifacts, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix=name + "-") as work:
        corpus = os.path.join(work, "corpus")
        shutil.copytree(seeds, corpus)
        n_seeds = len(os.listdir(corpus))
        if n_seeds == 0:
            sys.exit(f"{name}: the seed corpus {seeds} is empty")

        command = [
            fuzzer,
            f"-max_total_time={seconds}",
            "-print_final_stats=1",
            "-timeout=30",
            "-rss_limit_mb=2048",
            "-max_len=65536",
            f"-artifact_prefix={artifacts}/",
        ]
        if dictionary and os.path.exists(dictionary):
            command.append(f"-dict={dictionary}")
        command.append(corpus)

        # LSan reads one suppressions file: join ours into one for this run.
        env = dict(os.environ)
        supp_files = [f for f in env.get("TESSERA_LSAN_SUPPRESSIONS", "").split(":") if f]
        if supp_files:
            joined = os.path.join(work, "lsan.supp")
            with open(joined, "w") as out:
                for supp in supp_files:
                    with open(supp) as f:
                        out.write(f.read())
            env["LSAN_OPTIONS"] = f"suppressions={joined}:print_suppressions=0"
        # libFuzzer checks for leaks after each input that allocated more than it freed; that
        # is where a leak of ours shows, with the input that causes it. The check at exit
        # would only report what GLib keeps for good by design (the old arrays of its quark
        # table, grown by the interned site and licence names of TesseraAccount).
        env["LSAN_OPTIONS"] = env.get("LSAN_OPTIONS", "") + ":leak_check_at_exit=0"

        print("$ " + " ".join(command), flush=True)
        started = time.monotonic()
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace", cwd=work, env=env)
        elapsed = time.monotonic() - started
        output = result.stdout
        n_after = len(os.listdir(corpus))

    stats = dict(re.findall(r"^stat::(\w+):\s*(\d+)", output, re.M))
    executions = int(stats.get("number_of_executed_units", 0))
    summary = (f"{name}: {executions} executions in {elapsed:.0f} s "
               f"({executions / max(elapsed, 0.001):.0f}/s), "
               f"corpus {n_seeds} -> {n_after}, peak RSS {stats.get('peak_rss_mb', '?')} MB")

    if result.returncode != 0 or executions == 0:
        # The end of libFuzzer's output has the sanitizer report and the crashing input.
        print("\n".join(output.splitlines()[-200:]))
        print(f"{name}: FAILED (exit status {result.returncode}); "
              f"crashing inputs are in {artifacts}")
        print(summary)
        return 1

    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
