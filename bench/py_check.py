#!/usr/bin/env python3
"""The plain-script baseline for the JSON target: load a KFP JSON pipeline with the standard json
module and walk it for the same kinds of checks kfplint makes (references to tasks, components,
executors and outputs, missing inputs, type mismatches, cycles, images, env references).
Usage: py_check.py FILE.json"""
import json
import re
import sys

ENV_REF = re.compile(r"(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def main(path):
    doc = json.load(open(path))
    spec = doc.get("pipelineSpec", doc)
    comps = spec.get("components", {})
    execs = spec.get("deploymentSpec", {}).get("executors", {})
    problems = 0
    dags = [spec.get("root", {})] + list(comps.values())
    for comp in dags:
        if "executorLabel" in comp and comp["executorLabel"] not in execs:
            problems += 1
        tasks = comp.get("dag", {}).get("tasks", {})
        graph = {}
        for name, t in tasks.items():
            ref = t.get("componentRef", {}).get("name")
            c = comps.get(ref)
            if c is None:
                problems += 1
                continue
            deps = set(t.get("dependentTasks", []))
            ins = c.get("inputDefinitions", {})
            declared = ins.get("parameters", {})
            given = t.get("inputs", {}).get("parameters", {})
            for pname, p in given.items():
                src = p.get("taskOutputParameter")
                if src:
                    prod = tasks.get(src["producerTask"])
                    deps.add(src["producerTask"])
                    if prod is None:
                        problems += 1
                        continue
                    outs = comps[prod["componentRef"]["name"]].get("outputDefinitions", {}).get("parameters", {})
                    o = outs.get(src.get("outputParameterKey"))
                    if o is None:
                        problems += 1
                    elif pname in declared and o.get("parameterType") != declared[pname].get("parameterType"):
                        problems += 1
            for pname, d in declared.items():
                if pname not in given and "defaultValue" not in d and not d.get("isOptional"):
                    problems += 1
            for a in t.get("inputs", {}).get("artifacts", {}).values():
                src = a.get("taskOutputArtifact")
                if src:
                    deps.add(src["producerTask"])
                    if src["producerTask"] not in tasks:
                        problems += 1
            graph[name] = deps
        # cycles: iterative three-colour DFS
        colour = {}
        for start in graph:
            if colour.get(start):
                continue
            stack = [(start, iter(graph[start]))]
            colour[start] = 1
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    colour[node] = 2
                    stack.pop()
                elif colour.get(nxt) == 1:
                    problems += 1
                elif not colour.get(nxt) and nxt in graph:
                    colour[nxt] = 1
                    stack.append((nxt, iter(graph[nxt])))
    for e in execs.values():
        c = e.get("container")
        if not c:
            continue
        image = c.get("image", "")
        if not image or image.endswith(":latest") or ":" not in image.rsplit("/", 1)[-1]:
            problems += 1
        names = {v.get("name") for v in c.get("env", [])}
        for s in c.get("command", []) + c.get("args", []):
            for ref in ENV_REF.findall(s):
                if ref not in names:
                    problems += 1
    print(problems)


main(sys.argv[1])
