#!/usr/bin/env python3
"""Writes the example pipelines and the per-rule fixtures (YAML and JSON twins) from one
hand-written base pipeline. Run from the repository root; review the .expected files that
tests/update-golden.sh produces before committing them."""
import copy, json, os, yaml

def ml_pipeline():
    """preprocess -> train -> evaluate, as kfp.v2.compiler writes it."""
    def exec_(name, image, args, env=None):
        c = {"image": image, "command": ["python3", "-m", name], "args": args}
        if env is not None:
            c["env"] = env
        return {"container": c}
    return {
        "components": {
            "comp-preprocess": {
                "executorLabel": "exec-preprocess",
                "inputDefinitions": {"parameters": {"raw_data_uri": {"parameterType": "STRING"}}},
                "outputDefinitions": {"artifacts": {"processed_data": {
                    "artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}}},
            },
            "comp-train": {
                "executorLabel": "exec-train",
                "inputDefinitions": {
                    "artifacts": {"processed_data": {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}},
                    "parameters": {"epochs": {"parameterType": "NUMBER_INTEGER", "defaultValue": 10.0, "isOptional": True}},
                },
                "outputDefinitions": {"artifacts": {"model": {
                    "artifactType": {"schemaTitle": "system.Model", "schemaVersion": "0.0.1"}}}},
            },
            "comp-evaluate": {
                "executorLabel": "exec-evaluate",
                "inputDefinitions": {"artifacts": {
                    "model": {"artifactType": {"schemaTitle": "system.Model", "schemaVersion": "0.0.1"}},
                    "processed_data": {"artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}}},
                "outputDefinitions": {"parameters": {"accuracy": {"parameterType": "NUMBER_DOUBLE"}}},
            },
        },
        "deploymentSpec": {"executors": {
            "exec-preprocess": exec_("preprocess", "gcr.io/ml-team/preprocess:1.4.2",
                ["--raw-data", "{{$.inputs.parameters['raw_data_uri']}}",
                 "--out", "{{$.outputs.artifacts['processed_data'].path}}"]),
            "exec-train": exec_("train", "gcr.io/ml-team/train:1.4.2",
                ["--data", "{{$.inputs.artifacts['processed_data'].path}}",
                 "--epochs", "{{$.inputs.parameters['epochs']}}",
                 "--model", "{{$.outputs.artifacts['model'].path}}"],
                [{"name": "TF_CPP_MIN_LOG_LEVEL", "value": "2"}]),
            "exec-evaluate": exec_("evaluate", "gcr.io/ml-team/evaluate:1.4.2",
                ["--model", "{{$.inputs.artifacts['model'].path}}",
                 "--data", "{{$.inputs.artifacts['processed_data'].path}}",
                 "--accuracy", "{{$.outputs.parameters['accuracy'].output_file}}"]),
        }},
        "pipelineInfo": {"name": "ml-pipeline"},
        "root": {
            "dag": {
                "outputs": {"parameters": {"accuracy": {"valueFromParameter": {
                    "producerSubtask": "evaluate", "outputParameterKey": "accuracy"}}}},
                "tasks": {
                    "preprocess": {
                        "taskInfo": {"name": "preprocess"},
                        "componentRef": {"name": "comp-preprocess"},
                        "inputs": {"parameters": {"raw_data_uri": {"componentInputParameter": "raw_data_uri"}}},
                    },
                    "train": {
                        "taskInfo": {"name": "train"},
                        "componentRef": {"name": "comp-train"},
                        "dependentTasks": ["preprocess"],
                        "inputs": {
                            "artifacts": {"processed_data": {"taskOutputArtifact": {"producerTask": "preprocess", "outputArtifactKey": "processed_data"}}},
                            "parameters": {"epochs": {"runtimeValue": {"constant": 20}}},
                        },
                    },
                    "evaluate": {
                        "taskInfo": {"name": "evaluate"},
                        "componentRef": {"name": "comp-evaluate"},
                        "dependentTasks": ["preprocess", "train"],
                        "inputs": {"artifacts": {
                            "model": {"taskOutputArtifact": {"producerTask": "train", "outputArtifactKey": "model"}},
                            "processed_data": {"taskOutputArtifact": {"producerTask": "preprocess", "outputArtifactKey": "processed_data"}}}},
                    },
                },
            },
            "inputDefinitions": {"parameters": {"raw_data_uri": {"parameterType": "STRING",
                                                                 "defaultValue": "gs://ml-team/data/raw.csv"}}},
            "outputDefinitions": {"parameters": {"accuracy": {"parameterType": "NUMBER_DOUBLE"}}},
        },
        "schemaVersion": "2.1.0",
        "sdkVersion": "kfp-2.7.0",
    }

def dump_yaml(path, doc, header=None):
    with open(path, "w") as f:
        if header:
            f.write(header)
        yaml.safe_dump(doc, f, sort_keys=True, default_flow_style=False, width=1000)

def dump_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")

def both(d, name, doc):
    dump_yaml(os.path.join(d, name + ".yaml"), doc)
    dump_json(os.path.join(d, name + ".json"), doc)

T = lambda doc: doc["root"]["dag"]["tasks"]

def mutations():
    """rule id -> list of (fixture name, mutated pipeline)"""
    out = {}
    def add(rule, name, f):
        doc = ml_pipeline(); f(doc); out.setdefault(rule, []).append((name, doc))
    # dag-cycle
    add("dag-cycle", "bad-two-tasks", lambda d: T(d)["preprocess"].__setitem__("dependentTasks", ["evaluate"]))
    add("dag-cycle", "bad-self", lambda d: T(d)["train"]["dependentTasks"].append("train"))
    def comp_cycle(d):
        d["components"]["comp-sub"] = {"dag": {"tasks": {"inner": {"taskInfo": {"name": "inner"}, "componentRef": {"name": "comp-sub"}}}}}
        T(d)["sub"] = {"taskInfo": {"name": "sub"}, "componentRef": {"name": "comp-sub"}}
    add("dag-cycle", "bad-component-recursion", comp_cycle)
    # unknown-task
    add("unknown-task", "bad-display-name", lambda d: (T(d)["train"]["taskInfo"].__setitem__("name", "train-model"),
        T(d)["evaluate"]["inputs"]["artifacts"]["model"]["taskOutputArtifact"].__setitem__("producerTask", "train-model")))
    add("unknown-task", "bad-typo", lambda d: T(d)["evaluate"].__setitem__("dependentTasks", ["preprocess", "trian"]))
    add("unknown-task", "bad-subtask", lambda d: d["root"]["dag"]["outputs"]["parameters"]["accuracy"]["valueFromParameter"].__setitem__("producerSubtask", "evaluation"))
    # unknown-output
    add("unknown-output", "bad-typo", lambda d: T(d)["evaluate"]["inputs"]["artifacts"]["model"]["taskOutputArtifact"].__setitem__("outputArtifactKey", "modle"))
    add("unknown-output", "bad-missing-key", lambda d: T(d)["evaluate"]["inputs"]["artifacts"]["model"]["taskOutputArtifact"].pop("outputArtifactKey"))
    add("unknown-output", "bad-kind", lambda d: d["root"]["dag"]["outputs"]["parameters"]["accuracy"]["valueFromParameter"].__setitem__("outputParameterKey", "acc"))
    # unknown-component / executor
    add("unknown-component", "bad-typo", lambda d: T(d)["train"]["componentRef"].__setitem__("name", "comp-trian"))
    add("unknown-executor", "bad-typo", lambda d: d["components"]["comp-train"].__setitem__("executorLabel", "exec-trian"))
    # unknown-input
    add("unknown-input", "bad-num-epochs", lambda d: T(d)["train"]["inputs"]["parameters"].__setitem__("num_epochs", {"runtimeValue": {"constant": 20}}))
    add("unknown-input", "bad-placeholder", lambda d: d["deploymentSpec"]["executors"]["exec-train"]["container"]["args"].__setitem__(3, "{{$.inputs.parameters['num_epochs']}}"))
    add("unknown-input", "bad-component-input", lambda d: T(d)["preprocess"]["inputs"]["parameters"]["raw_data_uri"].__setitem__("componentInputParameter", "raw_data"))
    # missing-input
    add("missing-input", "bad-missing-artifact", lambda d: T(d)["evaluate"]["inputs"]["artifacts"].pop("model"))
    # unused-output / unused-component
    add("unused-output", "bad-unused", lambda d: d["components"]["comp-evaluate"]["outputDefinitions"]["parameters"].__setitem__("loss", {"parameterType": "NUMBER_DOUBLE"}))
    def unused_comp(d):
        d["components"]["comp-train-v1"] = {"executorLabel": "exec-train-v1"}
        d["deploymentSpec"]["executors"]["exec-train-v1"] = copy.deepcopy(d["deploymentSpec"]["executors"]["exec-train"])
    add("unused-component", "bad-leftover", unused_comp)
    # empty-dag
    add("empty-dag", "bad-empty-sub-dag", lambda d: (d["components"].__setitem__("comp-condition-1", {"dag": {"tasks": {}}}),
        T(d).__setitem__("condition-1", {"taskInfo": {"name": "condition-1"}, "componentRef": {"name": "comp-condition-1"}, "dependentTasks": ["evaluate"]})))
    # schema-version
    add("schema-version", "bad-old", lambda d: d.__setitem__("schemaVersion", "2.0.0"))
    # invalid-name
    add("invalid-name", "bad-underscore", lambda d: d["pipelineInfo"].__setitem__("name", "My_Pipeline"))
    add("invalid-name", "bad-empty", lambda d: d["pipelineInfo"].__setitem__("name", ""))
    # unknown-field
    add("unknown-field", "bad-dependent-task", lambda d: T(d)["train"].__setitem__("dependentTask", T(d)["train"].pop("dependentTasks")))
    add("unknown-field", "bad-components-1", lambda d: d.__setitem__("components_1", d.pop("components")))
    add("unknown-field", "bad-container", lambda d: d["deploymentSpec"]["executors"]["exec-train"]["container"].__setitem__("imagePullPolicy", "Always"))
    # image rules
    X = lambda d, e: d["deploymentSpec"]["executors"][e]["container"]
    add("image-missing", "bad-empty", lambda d: X(d, "exec-train").__setitem__("image", ""))
    add("image-missing", "bad-absent", lambda d: X(d, "exec-train").pop("image"))
    add("image-missing", "bad-invalid", lambda d: X(d, "exec-train").__setitem__("image", "gcr.io/ML_Team/Train:v1"))
    add("image-unpinned", "bad-untagged", lambda d: X(d, "exec-train").__setitem__("image", "my-docker-image"))
    add("image-unpinned", "bad-latest", lambda d: X(d, "exec-train").__setitem__("image", "gcr.io/ml-team/train:latest"))
    add("image-digest", "bad-tag-only", lambda d: None)
    # env-unset
    add("env-unset", "bad-k8s-ref", lambda d: (X(d, "exec-evaluate").__setitem__("command", ["sh", "-c", "python3 -m evaluate --bucket $(RESULTS_BUCKET) \"$@\"", "--"]),
        X(d, "exec-train")["args"].extend(["--log-dir", "$(LOG_DIR)"])))
    add("env-unset", "bad-shell-var", lambda d: X(d, "exec-evaluate").__setitem__("command", ["bash", "-ex", "-c", "mkdir -p \"$MODEL_DIR\"\npython3 -m evaluate --out \"${REPORT_DIR}\" \"$@\"", "--"]))
    def env_ok(d):
        c = X(d, "exec-evaluate")
        c["command"] = ["sh", "-ec", "program_path=$(mktemp)\nOUT=${OUT_DIR:-/tmp}\nexport STAMP=$(date +%s)\n"
                        "echo \"$HOME $STAMP $OUT $$(NOT_EXPANDED)\" > \"$program_path\"\n"
                        "if [ -n \"$OPTIONAL_TOKEN\" ]; then echo \"$OPTIONAL_TOKEN\"; fi\n"
                        "python3 -m evaluate --bucket $(RESULTS_BUCKET) --pod \"$KFP_POD_NAME\" \"$@\"", "--"]
        c["env"] = [{"name": "RESULTS_BUCKET", "value": "gs://ml-team/results"}]
        X(d, "exec-train")["args"].extend(["--log-dir", "$(TF_CPP_MIN_LOG_LEVEL)"])
    add("env-unset", "ok-defined", env_ok)
    # env-invalid
    add("env-invalid", "bad-duplicate", lambda d: X(d, "exec-train")["env"].append({"name": "TF_CPP_MIN_LOG_LEVEL", "value": "3"}))
    add("env-invalid", "bad-name", lambda d: X(d, "exec-train")["env"].extend([{"name": "1ST_RUN", "value": "yes"}, {"name": "", "value": "x"}, {"value": "orphan"}]))
    # secret-in-env
    add("secret-in-env", "bad-literal-password", lambda d: X(d, "exec-train")["env"].extend([
        {"name": "DB_PASSWORD", "value": "hunter2-prod"},
        {"name": "AWS_SECRET", "value": "AKIAIOSFODNN7EXAMPLE"}]))
    add("secret-in-env", "ok-references", lambda d: X(d, "exec-train")["env"].extend([
        {"name": "DB_PASSWORD_FILE", "value": "/var/run/secrets/db/password"},
        {"name": "API_TOKEN", "value": "$(API_TOKEN_FROM_SECRET)"},
        {"name": "API_TOKEN_FROM_SECRET", "value": "{{$.inputs.parameters['epochs']}}"},
        {"name": "MAX_TOKENS", "value": "512"},
        {"name": "SECRET_NAME", "value": "db-credentials"}]))
    # invalid-value
    P = lambda d, c: d["components"][c]["inputDefinitions"]["parameters"]
    add("invalid-value", "bad-string-for-int", lambda d: T(d)["train"]["inputs"]["parameters"]["epochs"]["runtimeValue"].__setitem__("constant", "5"))
    add("invalid-value", "bad-number-for-bool", lambda d: (P(d, "comp-train").__setitem__("shuffle", {"parameterType": "BOOLEAN", "defaultValue": 1.0}),
        X(d, "exec-train")["args"].extend(["--shuffle", "{{$.inputs.parameters['shuffle']}}"])))
    add("invalid-value", "bad-unknown-type", lambda d: P(d, "comp-train")["epochs"].__setitem__("parameterType", "INTEGER"))
    add("invalid-value", "bad-literals", lambda d: (P(d, "comp-preprocess").__setitem__("split", {"parameterType": "STRING", "literals": ["train", "test"], "defaultValue": "validation"}),
        X(d, "exec-preprocess")["args"].extend(["--split", "{{$.inputs.parameters['split']}}"])))
    add("invalid-value", "bad-schema-title", lambda d: d["components"]["comp-train"]["outputDefinitions"]["artifacts"]["model"]["artifactType"].__setitem__("schemaTitle", "acme.Model"))
    # type-mismatch
    add("type-mismatch", "bad-artifact-type", lambda d: T(d)["evaluate"]["inputs"]["artifacts"]["model"]["taskOutputArtifact"].update(
        {"producerTask": "preprocess", "outputArtifactKey": "processed_data"}))
    def param_type(d):
        d["components"]["comp-train"]["outputDefinitions"]["parameters"] = {"loss": {"parameterType": "NUMBER_DOUBLE"}}
        X(d, "exec-train")["args"].extend(["--loss", "{{$.outputs.parameters['loss'].output_file}}"])
        P(d, "comp-evaluate").__setitem__("max_loss", {"parameterType": "NUMBER_INTEGER"}) if "parameters" in d["components"]["comp-evaluate"]["inputDefinitions"] else \
            d["components"]["comp-evaluate"]["inputDefinitions"].__setitem__("parameters", {"max_loss": {"parameterType": "NUMBER_INTEGER"}})
        X(d, "exec-evaluate")["args"].extend(["--max-loss", "{{$.inputs.parameters['max_loss']}}"])
        T(d)["evaluate"]["inputs"]["parameters"] = {"max_loss": {"taskOutputParameter": {"producerTask": "train", "outputParameterKey": "loss"}}}
    add("type-mismatch", "bad-parameter-type", param_type)
    def param_vs_artifact(d):
        ins = d["components"]["comp-evaluate"]["inputDefinitions"]
        del ins["artifacts"]["processed_data"]
        ins["parameters"] = {"processed_data": {"parameterType": "STRING"}}
        X(d, "exec-evaluate")["args"][3] = "{{$.inputs.parameters['processed_data']}}"
    add("type-mismatch", "bad-parameter-vs-artifact", param_vs_artifact)
    # image-registry (the directory's .kfplint.yaml allows gcr.io/ml-team and docker.io/library)
    add("image-registry", "bad-outside", lambda d: (X(d, "exec-train").__setitem__("image", "docker.io/someone/train:1.0"),
        X(d, "exec-evaluate").__setitem__("image", "quay.io/ml-team/evaluate:1.4.2")))
    add("image-registry", "ok-hub-library", lambda d: X(d, "exec-train").__setitem__("image", "python:3.11"))
    # fixable env-invalid: an exact duplicate
    add("env-invalid", "bad-exact-duplicate", lambda d: X(d, "exec-train")["env"].append({"name": "TF_CPP_MIN_LOG_LEVEL", "value": "2"}))
    # env-unset with a configured default (the directory's .kfplint.yaml has RESULTS_BUCKET)
    add("env-unset", "bad-default-new-env", lambda d: X(d, "exec-evaluate").__setitem__("command", ["sh", "-c", "python3 -m evaluate --bucket $(RESULTS_BUCKET)"]))
    add("env-unset", "bad-default-existing-env", lambda d: X(d, "exec-train")["args"].extend(["--bucket", "$(RESULTS_BUCKET)"]))
    # unsupported-feature
    def resolver(d):
        d["deploymentSpec"]["executors"]["exec-preprocess"] = {"resolver": {"outputArtifactQueries": {
            "processed_data": {"filter": 'artifact_type="system.Dataset"', "limit": 1}}}}
    add("unsupported-feature", "bad-resolver", resolver)
    add("unsupported-feature", "bad-custom-job", lambda d: d["deploymentSpec"]["executors"].__setitem__(
        "exec-train", {"customJob": {"customJob": {"displayName": "train"}}}))
    return out

def main():
    ex = "fixtures/examples"
    os.makedirs(ex, exist_ok=True)
    base = ml_pipeline()
    dump_yaml(os.path.join(ex, "ml_pipeline.yaml"), base,
              "# PIPELINE DEFINITION\n# Name: ml-pipeline\n# Inputs:\n#    raw_data_uri: str [Default: 'gs://ml-team/data/raw.csv']\n# Outputs:\n#    accuracy: float\n")
    job = {"pipelineSpec": copy.deepcopy(base), "runtimeConfig": {"gcsOutputDirectory": "gs://ml-team/pipeline-root",
                                                                  "parameterValues": {"raw_data_uri": "gs://ml-team/data/raw.csv"}}}
    job["pipelineSpec"]["schemaVersion"] = "2.1.0"
    dump_json(os.path.join(ex, "ml_pipeline.json"), job)
    os.makedirs("fixtures/rules/invalid-value", exist_ok=True)
    bad_job = copy.deepcopy(job)
    bad_job["runtimeConfig"]["parameterValues"] = {"raw_data_uri": ["gs://a", "gs://b"], "sample_rate": 0.5}
    dump_json("fixtures/rules/invalid-value/bad-runtime-config.json", bad_job)
    broken = ml_pipeline()
    T(broken)["train"]["inputs"]["parameters"]["num_epochs"] = {"runtimeValue": {"constant": 20}}
    broken["deploymentSpec"]["executors"]["exec-train"]["container"]["image"] = "my-docker-image"
    broken["deploymentSpec"]["executors"]["exec-evaluate"]["container"]["command"] = ["sh", "-c", "python3 -m evaluate --bucket $(RESULTS_BUCKET) \"$@\"", "--"]
    dump_json(os.path.join(ex, "broken_ml_pipeline.json"), {"pipelineSpec": broken, "runtimeConfig": {}})
    dump_yaml(os.path.join(ex, "broken_ml_pipeline.yaml"), broken)
    for rule, items in mutations().items():
        d = os.path.join("fixtures/rules", rule)
        os.makedirs(d, exist_ok=True)
        for name, doc in items:
            both(d, name, doc)
        if any(name.startswith("ok-") for name, _ in items):
            continue
        both(d, "ok-ml-pipeline", ml_pipeline())

main()
