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
  kfp-alias       N executors aliasing one anchored container of 1,000 args (v1 placeholders)
  argo-params-used / argo-params-unused  an Argo template of N input parameters, its container's
                  N args reading each one (or none) and N env vars
  argo-outputs    N templates each with an output parameter and artifact nobody reads, run by a DAG
  argo-reads      a DAG of N tasks, task i reading task i-1's output parameter
  argo-unknown-flat / argo-unknown-deep  N unknown keys in spec / in one container's securityContext
  argo-unknown-many  N templates, each with an unknown key deep in its container
  argo-wrong-type N env vars whose value is a list (wrong type) and N templates with a map retryStrategy.limit
  argo-deep-k8s / argo-deep-free  N levels of flow-style nesting under a container's resources /
                  under a task's withItems (free-form)
  argo-alias / argo-alias-container  one anchored affinity / container of 1,000 entries with unknown
                  and wrong-typed fields, N templates aliasing it
  argo-expr-tags  one string of N {{=…}} tags (every 100th malformed); argo-expr-big: one N*20-byte expression
  argo-metrics    a template of N Prometheus metrics (every other one missing its value)
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


def kfp_alias(n, m=1000):
    """N components and executors, every executor's container an alias of the first one's, whose
    m args are v1 placeholders, which IR does not take (m invalid-type findings): YAML text."""
    lines = ["pipelineInfo: {name: fan}", "schemaVersion: 2.1.0", "sdkVersion: kfp-2.7.0", "components:"]
    lines += [f"  comp-{i}: {{executorLabel: exec-{i}}}" for i in range(n)]
    lines += ["deploymentSpec:", "  executors:", "    exec-0:", "      container: &c",
              "        image: 'python:3.11'", "        command: [sh]", "        args:"]
    lines += [f"        - {{inputValue: x{i}}}" for i in range(m)]
    lines += [f"    exec-{i}: {{container: *c}}" for i in range(1, n)]
    lines += ["root:", "  dag:", "    tasks:"]
    lines += [f"      t{i}: {{taskInfo: {{name: t{i}}}, componentRef: {{name: comp-{i}}}}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def argo_wf(templates, entrypoint="main", spec_extra=None):
    spec = {"entrypoint": entrypoint}
    spec.update(spec_extra or {})
    spec["templates"] = templates
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"generateName": "scale-"}, "spec": spec}


def argo_params(n, used):
    t = {"name": "main", "inputs": {"parameters": [{"name": f"p{i}", "value": "x"} for i in range(n)]},
         "container": {"image": "alpine:3.19", "command": ["echo"],
                       "args": [("{{inputs.parameters.p%d}}" % i) if used else f"a{i}" for i in range(n)],
                       "env": [{"name": f"E{i}", "value": "v"} for i in range(n)]}}
    return argo_wf([t])


def argo_outputs(n):
    tasks = [{"name": f"t{i}", "template": f"w{i}"} for i in range(n)]
    tpls = [{"name": "main", "dag": {"tasks": tasks}}]
    for i in range(n):
        tpls.append({"name": f"w{i}", "container": {"image": "alpine:3.19", "command": ["true"]},
                     "outputs": {"parameters": [{"name": "o", "valueFrom": {"path": "/tmp/o"}}],
                                 "artifacts": [{"name": "a", "path": "/tmp/a"}]}})
    return argo_wf(tpls)


def argo_reads(n):
    tasks = [{"name": "t0", "template": "w"}]
    for i in range(1, n):
        tasks.append({"name": f"t{i}", "template": "w", "depends": f"t{i - 1}",
                      "arguments": {"parameters": [{"name": "x", "value": "{{tasks.t%d.outputs.parameters.o}}" % (i - 1)}]}})
    w = {"name": "w", "inputs": {"parameters": [{"name": "x", "value": ""}]},
         "container": {"image": "alpine:3.19", "command": ["echo", "{{inputs.parameters.x}}"]},
         "outputs": {"parameters": [{"name": "o", "valueFrom": {"path": "/tmp/o"}}]}}
    return argo_wf([{"name": "main", "dag": {"tasks": tasks}}, w])


def argo_container():
    return {"image": "alpine:3.19", "command": ["true"]}


def argo_unknown(n, deep):
    c = argo_container()
    if deep:
        c["securityContext"] = {f"unknownKey{i}": True for i in range(n)}
        return argo_wf([{"name": "main", "container": c}])
    return argo_wf([{"name": "main", "container": c}], spec_extra={f"unknownKey{i}": 1 for i in range(n)})


def argo_unknown_many(n):
    tpls = [{"name": "main", "steps": [[{"name": "s", "template": "w0"}]]}]
    for i in range(n):
        c = argo_container()
        c["resources"] = {"limits": {"cpu": "1"}, "limitz": {"cpu": "1"}}
        tpls.append({"name": f"w{i}", "container": c})
    return argo_wf(tpls)


def argo_wrong_type(n):
    c = argo_container()
    c["env"] = [{"name": f"E{i}", "value": ["not", "a", "string"]} for i in range(n)]
    tpls = [{"name": "main", "container": c}]
    for i in range(n):
        tpls.append({"name": f"w{i}", "container": argo_container(), "retryStrategy": {"limit": {"x": 1}}})
    return argo_wf(tpls)


def argo_deep(n, free):
    """Flow-style nesting n levels deep, written as text (a dict that deep cannot be dumped)."""
    inner = "{a: " * n + "1" + "}" * n
    if free:
        return ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: deep-}\n"
                "spec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:\n"
                "      - name: t\n        template: w\n        withItems: [" + inner + "]\n"
                "  - name: w\n    container: {image: 'alpine:3.19', command: [echo, '{{item}}']}\n")
    return ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: deep-}\n"
            "spec:\n  entrypoint: main\n  templates:\n  - name: main\n    container:\n"
            "      image: alpine:3.19\n      command: [\"true\"]\n      resources: {limits: " + inner + "}\n"
            "      securityContext: {seLinuxOptions: " + inner + "}\n")


def argo_alias(n, container, m=1000):
    """One anchored map of m entries, each with an unknown key and a wrong-typed value, aliased by
    n templates: an affinity (only the schema walk looks into it) or a container's env (the
    model builds each template's container)."""
    if container:
        items = "".join(f"      - {{name: E{i}, valuee: x, value: [1]}}\n" for i in range(m))
        anchored = "    container: &c\n      image: alpine:3.19\n      command: [\"true\"]\n      env:\n" + items
        use = "    container: *c\n"
    else:
        items = "".join(f"          - {{key: k{i}, operator: In, valuess: [a], values: x}}\n" for i in range(m))
        anchored = ("    container: {image: 'alpine:3.19', command: [\"true\"]}\n    affinity: &c\n"
                    "      nodeAffinity:\n        requiredDuringSchedulingIgnoredDuringExecution:\n"
                    "          nodeSelectorTerms:\n          - matchExpressions:\n" + items.replace("          - ", "            - "))
        use = "    container: {image: 'alpine:3.19', command: [\"true\"]}\n    affinity: *c\n"
    head = ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: alias-}\n"
            "spec:\n  entrypoint: main\n  templates:\n  - name: main\n" + anchored)
    return head + "".join(f"  - name: w{i}\n" + use for i in range(n))


def argo_expr_tags(n):
    tags = " ".join(("{{=workflow.name + }}" if i % 100 == 99 else "{{=workflow.name + '-%d'}}" % i) for i in range(n))
    c = argo_container()
    c["command"] = ["echo", tags]
    return argo_wf([{"name": "main", "container": c}])


def argo_expr_big(n):
    expr = "{{=" + " + ".join(f"'x{i:06d}'" for i in range(n)) + " + }}"
    c = argo_container()
    c["command"] = ["echo", expr]
    return argo_wf([{"name": "main", "container": c}])


def argo_metrics(n):
    ms = []
    for i in range(n):
        m = {"name": f"m{i}", "help": "h", "labels": [{"key": "k", "value": "v"}], "gauge": {"realtime": False}}
        if i % 2 == 0:
            m["gauge"]["value"] = "{{workflow.duration}}"
        ms.append(m)
    c = argo_container()
    return argo_wf([{"name": "main", "container": c, "metrics": {"prometheus": ms}}])


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
    elif kind == "kfp-alias":
        text = kfp_alias(n)
    elif kind in ("argo-params-used", "argo-params-unused"):
        text = yaml_dump(argo_params(n, kind.endswith("-used")))
    elif kind == "argo-outputs":
        text = yaml_dump(argo_outputs(n))
    elif kind == "argo-reads":
        text = json.dumps(argo_reads(n), indent=1)
    elif kind in ("argo-unknown-flat", "argo-unknown-deep"):
        text = yaml_dump(argo_unknown(n, kind.endswith("deep")))
    elif kind == "argo-unknown-many":
        text = yaml_dump(argo_unknown_many(n))
    elif kind == "argo-wrong-type":
        text = json.dumps(argo_wrong_type(n), indent=1)
    elif kind in ("argo-deep-k8s", "argo-deep-free"):
        text = argo_deep(n, kind.endswith("free"))
    elif kind in ("argo-alias", "argo-alias-container"):
        text = argo_alias(n, kind.endswith("container"))
    elif kind == "argo-expr-tags":
        text = yaml_dump(argo_expr_tags(n))
    elif kind == "argo-expr-big":
        text = yaml_dump(argo_expr_big(n))
    elif kind == "argo-metrics":
        text = yaml_dump(argo_metrics(n))
    else:
        sys.exit(f"unknown kind {kind}")
    with open(out, "w") as f:
        f.write(text)


main()
