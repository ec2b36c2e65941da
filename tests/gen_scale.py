#!/usr/bin/env python3
"""Writes the hostile-scale inputs of tests/test_scale.sh (issue #14).

Usage: gen_scale.py KIND N OUT
  task-cycle-yaml / task-cycle-json  one DAG of N tasks, task i depends on task i+1 (mod N)
  comp-chain      N components, the DAG of component i calls component i+1 (no cycle)
  comp-cycle      the same, and the last component calls the first
  misspelled-json N tasks on one JSON line, each depending on a misspelled task name
  custom-command  one executor whose command has N items (for a backtracking custom rule)
  suppressed      N tasks, each with a finding suppressed by a comment on its line
  wide            one component of N inputs, args and env vars; one task passing N other names
  constants       a task of N constants naming inputs it lacks, one of N undeclared outputs
Plain string building (no yaml/json module): the inputs are big and must be written fast."""
import json
import sys

HEAD_EXEC = {"exec-x": {"container": {"image": "gcr.io/p/x:1.0", "command": ["sh"]}}}


def v2(components, executors, tasks, name="scale"):
    return {
        "components": components,
        "deploymentSpec": {"executors": executors},
        "pipelineInfo": {"name": name},
        "root": {"dag": {"tasks": tasks}},
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-2.7.0",
    }


def task_cycle(n):
    comps = {"comp-x": {"executorLabel": "exec-x"}}
    tasks = {}
    for i in range(n):
        tasks[f"t{i}"] = {"taskInfo": {"name": f"t{i}"}, "componentRef": {"name": "comp-x"},
                          "dependentTasks": [f"t{(i + 1) % n}"]}
    return v2(comps, HEAD_EXEC, tasks)


def comp_chain(n, cycle):
    comps = {"comp-x": {"executorLabel": "exec-x"}}
    for i in range(n):
        nxt = f"comp-c{i + 1}" if i + 1 < n else ("comp-c0" if cycle else "comp-x")
        comps[f"comp-c{i}"] = {"dag": {"tasks": {"call": {"taskInfo": {"name": "call"},
                                                          "componentRef": {"name": nxt}}}}}
    tasks = {"start": {"taskInfo": {"name": "start"}, "componentRef": {"name": "comp-c0"}}}
    return v2(comps, HEAD_EXEC, tasks)


def misspelled(n):
    comps = {"comp-x": {"executorLabel": "exec-x"}}
    tasks = {}
    for i in range(n):
        t = {"taskInfo": {"name": f"task-{i}"}, "componentRef": {"name": "comp-x"}}
        if i:
            t["dependentTasks"] = [f"tsak-{i - 1}"]  # transposed letters: a misspelling
        tasks[f"task-{i}"] = t
    return v2(comps, HEAD_EXEC, tasks)


def custom_command(n):
    comps = {"comp-x": {"executorLabel": "exec-x"}}
    # each item is a run of a's and a final "!": ^(a+)+$ backtracks exponentially on it
    execs = {"exec-x": {"container": {"image": "gcr.io/p/x:1.0",
                                      "command": ["a" * 60 + "!" for _ in range(n)]}}}
    tasks = {"t": {"taskInfo": {"name": "t"}, "componentRef": {"name": "comp-x"}}}
    return v2(comps, execs, tasks)


def suppressed(n):
    """n tasks, each with an unknown dependency suppressed by a comment on its line, and one
    comment that suppresses nothing: YAML text (comments cannot come from a dict)."""
    lines = ["components:", "  comp-x: {executorLabel: exec-x}", "deploymentSpec:", "  executors:",
             "    exec-x: {container: {image: 'gcr.io/p/x:1.0', command: [sh]}}",
             "pipelineInfo: {name: s}", "root:", "  dag:", "    tasks:"]
    for i in range(n):
        lines.append(f"      t{i}: {{taskInfo: {{name: t{i}}}, componentRef: {{name: comp-x}}, "
                     f"dependentTasks: [nope{i}]}}  # kfplint: disable=unknown-task -- generated")
    lines.append("schemaVersion: 2.1.0  # kfplint: disable=dag-cycle -- nothing to suppress")
    return "\n".join(lines) + "\n"


def wide(n):
    """One component of n required inputs whose args name each input and an env var, and one task
    that passes n other (unknown) names: n missing-input and n unknown-input findings."""
    comp = {"executorLabel": "exec-x",
            "inputDefinitions": {"parameters": {f"p{i}": {"parameterType": "STRING"} for i in range(n)}}}
    execs = {"exec-x": {"container": {
        "image": "gcr.io/p/x:1.0", "command": ["sh", "-c", "echo"],
        "args": ["{{$.inputs.parameters['p%d']}} $(E%d)" % (i, i) for i in range(n)],
        "env": [{"name": f"E{i}", "value": "x"} for i in range(n)]}}}
    tasks = {"t": {"taskInfo": {"name": "t"}, "componentRef": {"name": "comp-x"},
                   "inputs": {"parameters": {f"q{i}": {"runtimeValue": {"constant": "a"}} for i in range(n)}}}}
    return v2({"comp-x": comp}, execs, tasks)


def constants(n):
    """A task passing n constants that each name an input the task does not have, and a task
    taking n outputs the producer does not declare (JSON)."""
    comp = {"executorLabel": "exec-x",
            "inputDefinitions": {"parameters": {f"p{i}": {"parameterType": "STRING"} for i in range(n)}},
            "outputDefinitions": {"parameters": {f"o{i}": {"parameterType": "STRING"} for i in range(n)}}}
    tasks = {"t": {"taskInfo": {"name": "t"}, "componentRef": {"name": "comp-x"},
                   "inputs": {"parameters": {f"p{i}": {"runtimeValue": {"constant": "{{$.inputs.parameters['zz%d']}}" % i}}
                                             for i in range(n)}}},
             "u": {"taskInfo": {"name": "u"}, "componentRef": {"name": "comp-x"}, "dependentTasks": ["t"],
                   "inputs": {"parameters": {f"p{i}": {"taskOutputParameter": {"producerTask": "t", "outputParameterKey": f"o{i}x"}}
                                             for i in range(n)}}}}
    return v2({"comp-x": comp}, HEAD_EXEC, tasks)


def yaml_dump(doc):
    """JSON is YAML: write a block-style YAML rendering by hand (keys and names are plain)."""
    out = []

    def emit(v, ind):
        pad = "  " * ind
        if isinstance(v, dict):
            for k, x in v.items():
                if isinstance(x, (dict, list)) and x:
                    out.append(f"{pad}{k}:\n")
                    emit(x, ind + 1)
                else:
                    out.append(f"{pad}{k}: {json.dumps(x)}\n")
        else:
            for x in v:
                if isinstance(x, (dict, list)):
                    out.append(f"{pad}-\n")
                    emit(x, ind + 1)
                else:
                    out.append(f"{pad}- {json.dumps(x)}\n")

    emit(doc, 0)
    return "".join(out)


def main():
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if kind == "task-cycle-yaml":
        text = yaml_dump(task_cycle(n))
    elif kind == "task-cycle-json":
        text = json.dumps(task_cycle(n), indent=1)
    elif kind == "comp-chain":
        text = yaml_dump(comp_chain(n, False))
    elif kind == "comp-cycle":
        text = json.dumps(comp_chain(n, True), indent=1)
    elif kind == "misspelled-json":
        text = json.dumps(misspelled(n), separators=(",", ":"))
    elif kind == "constants":
        text = json.dumps(constants(n), indent=1)
    elif kind == "wide":
        text = yaml_dump(wide(n))
    elif kind == "suppressed":
        text = suppressed(n)
    elif kind == "custom-command":
        text = yaml_dump(custom_command(n))
    else:
        sys.exit(f"unknown kind {kind}")
    with open(out, "w") as f:
        f.write(text)


main()
