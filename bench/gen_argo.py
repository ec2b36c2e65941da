#!/usr/bin/env python3
"""Writes a valid synthetic Argo Workflow (KFP v1 compiled style) of N DAG tasks as YAML or JSON.

Each task runs its own container template, takes 1-3 parameters from earlier tasks (through
{{tasks.X.outputs.parameters.out}}, with `dependencies` on them) and a workflow parameter, and
its command uses an env var it sets and its inputs ({{inputs.parameters.x}}).
Usage: gen_argo.py N yaml|json OUT"""
import json
import random
import sys

import yaml


def workflow(n):
    rnd = random.Random(n)
    tasks, templates = [], []
    for i in range(n):
        name = f"step-{i}"
        k = 0 if i == 0 else rnd.randint(1, 3)
        producers = sorted({i - 1} | {rnd.randrange(i) for _ in range(k - 1)}) if i else []
        params = [{"name": "seed", "value": "{{workflow.parameters.seed}}"}]
        params += [{"name": f"in-{p}", "value": "{{tasks.step-%d.outputs.parameters.step-%d-out}}" % (p, p)}
                   for p in producers]
        t = {"name": name, "template": name, "arguments": {"parameters": params}}
        if producers:
            t["dependencies"] = [f"step-{p}" for p in producers]
        tasks.append(t)
        args = ["--seed", "{{inputs.parameters.seed}}"]
        for p in producers:
            args += [f"--in-{p}", "{{inputs.parameters.in-%d}}" % p]
        args += ["--out", "/tmp/outputs/out"]
        templates.append({
            "name": name,
            "container": {
                "image": f"gcr.io/bench/step:{1 + i % 7}.0.{i % 13}",
                "command": ["sh", "-c", "python3 -m step --bucket $(BUCKET) \"$@\"", "--"],
                "args": args,
                "env": [{"name": "BUCKET", "value": f"gs://bench/{name}"}],
            },
            "inputs": {"parameters": [{"name": p["name"]} for p in params]},
            "outputs": {"parameters": [{"name": f"{name}-out", "valueFrom": {"path": "/tmp/outputs/out"}}]},
            "metadata": {"labels": {"pipelines.kubeflow.org/kfp_sdk_version": "1.8.22"}},
        })
    templates.insert(0, {"name": f"bench-{n}", "dag": {"tasks": tasks}})
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": f"bench-{n}-",
                     "annotations": {"pipelines.kubeflow.org/pipeline_spec": json.dumps(
                         {"name": f"bench-{n}", "inputs": [{"name": "seed", "type": "Integer"}]})}},
        "spec": {"entrypoint": f"bench-{n}", "serviceAccountName": "pipeline-runner",
                 "arguments": {"parameters": [{"name": "seed", "value": "42"}]},
                 "templates": templates},
    }


def main():
    n, fmt, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    doc = workflow(n)
    with open(out, "w") as f:
        if fmt == "json":
            json.dump(doc, f, indent=2, sort_keys=True)
        else:
            yaml.dump(doc, f, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=True, width=1000)


main()
