"""The Python side of bench/api.mjs: the same two workloads with kfp.Client (kfp 2.17.3).

    python bench/kfp_client_bench.py --host http://127.0.0.1:PORT --ids-file ids.json \
        [--page-size 200] [--rounds 3]

Prints one JSON object on stdout:
    {"kfp": "2.17.3", "page": [{"cpu_ms", "wall_ms", "n"}, ...], "get": [...]}
(one entry per measured round; CPU time is time.process_time() of this process: user + system).
"""
import argparse
import json
import sys
import time
import warnings


def measure(fn):
    c = time.process_time()
    t = time.perf_counter()
    n = fn()
    return {"cpu_ms": (time.process_time() - c) * 1000, "wall_ms": (time.perf_counter() - t) * 1000, "n": n}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--ids-file", required=True)
    ap.add_argument("--page-size", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    with open(args.ids_file) as f:
        ids = json.load(f)

    warnings.simplefilter("ignore")  # the FutureWarning of kfp.Client()
    import kfp
    from kfp import Client

    # Single-user (no-auth) server: healthz says multi_user false, so no namespace is needed.
    client = Client(host=args.host)

    def page():
        n = 0
        token = ""
        while True:
            resp = client.list_runs(page_size=args.page_size, page_token=token)
            n += len(resp.runs or [])
            token = resp.next_page_token
            if not token:
                return n

    def get():
        for run_id in ids:
            run = client.get_run(run_id)
            assert run.run_id == run_id, (run.run_id, run_id)
        return len(ids)

    # A light warm-up (imports, connection pool, model classes): one page and a few get_run.
    client.list_runs(page_size=args.page_size)
    for run_id in ids[:10]:
        client.get_run(run_id)

    out = {"kfp": getattr(kfp, "__version__", "?"), "page": [], "get": []}
    for i in range(args.rounds):
        p = measure(page)
        g = measure(get)
        out["page"].append(p)
        out["get"].append(g)
        print(f"python round {i + 1}/{args.rounds}: paging {p['cpu_ms']:.0f} ms CPU, getRun {g['cpu_ms']:.0f} ms CPU", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
