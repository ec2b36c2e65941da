#!/usr/bin/env python3
"""Writes a valid synthetic KFP v2 IR pipeline, or with --argo an Argo Workflow, of N tasks as
YAML or JSON.

KFP v2 IR: each task has its own component and executor, takes 1-3 typed inputs from earlier
tasks (and a pipeline parameter), produces typed outputs, and its command uses env vars it sets.

Argo (KFP v1 compiled style): each DAG task runs its own container template, takes 1-3
parameters from earlier tasks (through {{tasks.X.outputs.parameters.out}}, with `dependencies` on
them) and a workflow parameter, and its command uses an env var it sets and its inputs
({{inputs.parameters.x}}).
Usage: gen.py [--argo] N yaml|json OUT"""
import json
import random
import sys

import yaml


def pipeline(n):
    rnd = random.Random(n)
    comps, execs, tasks = {}, {}, {}
    for i in range(n):
        name = f"step-{i}"
        k = 0 if i == 0 else rnd.randint(1, 3)
        # the previous task always feeds this one, so every output is consumed
        producers = sorted({i - 1} | {rnd.randrange(i) for _ in range(k - 1)}) if i else []
        in_params = {"seed": {"parameterType": "NUMBER_INTEGER"}}
        task_inputs = {"seed": {"componentInputParameter": "seed"}}
        for p in producers:
            in_params[f"in_{p}"] = {"parameterType": "STRING"}
            task_inputs[f"in_{p}"] = {"taskOutputParameter": {"producerTask": f"step-{p}", "outputParameterKey": "out"}}
        in_arts, task_arts = {}, {}
        if i:
            in_arts["prev"] = {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}
            task_arts["prev"] = {"taskOutputArtifact": {"producerTask": f"step-{i - 1}", "outputArtifactKey": "data"}}
        comps[f"comp-{name}"] = {
            "executorLabel": f"exec-{name}",
            "inputDefinitions": {"parameters": in_params, **({"artifacts": in_arts} if in_arts else {})},
            "outputDefinitions": {"parameters": {"out": {"parameterType": "STRING"}},
                                  "artifacts": {"data": {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}}},
        }
        args = ["--seed", "{{$.inputs.parameters['seed']}}"]
        for p in producers:
            args += [f"--in-{p}", "{{$.inputs.parameters['in_%d']}}" % p]
        if i:
            args += ["--prev", "{{$.inputs.artifacts['prev'].path}}"]
        args += ["--out", "{{$.outputs.parameters['out'].output_file}}", "--data", "{{$.outputs.artifacts['data'].path}}"]
        execs[f"exec-{name}"] = {"container": {
            "image": f"gcr.io/bench/step:{1 + i % 7}.0.{i % 13}",
            "command": ["sh", "-c", f"python3 -m step --bucket $(BUCKET) --level \"$LOG_LEVEL\" \"$@\"", "--"],
            "args": args,
            "env": [{"name": "BUCKET", "value": f"gs://bench/{name}"}, {"name": "LOG_LEVEL", "value": "info"}],
        }}
        t = {"taskInfo": {"name": name}, "componentRef": {"name": f"comp-{name}"},
             "inputs": {"parameters": task_inputs, **({"artifacts": task_arts} if task_arts else {})},
             "cachingOptions": {"enableCache": True}}
        if producers:
            t["dependentTasks"] = [f"step-{p}" for p in producers]
        tasks[name] = t
    last = f"step-{n - 1}"
    return {
        "components": comps,
        "deploymentSpec": {"executors": execs},
        "pipelineInfo": {"name": f"bench-{n}"},
        "root": {"dag": {"tasks": tasks,
                         "outputs": {"parameters": {"out": {"valueFromParameter": {"producerSubtask": last, "outputParameterKey": "out"}}}}},
                 "inputDefinitions": {"parameters": {"seed": {"parameterType": "NUMBER_INTEGER", "defaultValue": 42}}},
                 "outputDefinitions": {"parameters": {"out": {"parameterType": "STRING"}}}},
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-2.7.0",
    }


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
    argv = sys.argv[1:]
    make = pipeline
    if argv[:1] == ["--argo"]:
        make, argv = workflow, argv[1:]
    if len(argv) != 3 or not argv[0].isdigit() or argv[1] not in ("yaml", "json"):
        sys.exit(__doc__)
    n, fmt, out = int(argv[0]), argv[1], argv[2]
    doc = make(n)
    with open(out, "w") as f:
        if fmt == "json":
            json.dump(doc, f, indent=2, sort_keys=True)
        else:
            yaml.dump(doc, f, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=True, width=1000)


main()
