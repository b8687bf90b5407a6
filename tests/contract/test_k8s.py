"""The Kubernetes manifests (deploy/k8s/) and the image (deploy/container/) agree and are valid.

Nothing here needs a cluster: every manifest is parsed with PyYAML, validated against the
Kubernetes OpenAPI schemas shipped offline by ``kubernetes-validate`` (strict: a misspelt
field fails), and checked for what the portal needs to work behind an Ingress: session
affinity for the kernels, probes on /healthz, memory limits, the right command, the nightly
refresh, and one voila.json for the machine and the pods.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
CONTAINERFILE = REPO / "deploy" / "container" / "Containerfile"
#: The oldest Kubernetes the manifests are for (CronJob.timeZone is GA since 1.27) and the
#: newest whose schemas kubernetes-validate ships.
VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
COOKIE = "datalk_route"


def load(name: str) -> list[dict]:
    return [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


@pytest.fixture(scope="module")
def kustomization() -> dict:
    return load("kustomization.yaml")[0]


@pytest.fixture(scope="module")
def resources(kustomization) -> dict[tuple[str, str], dict]:
    found = {}
    for name in kustomization["resources"]:
        for doc in load(name):
            found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def one(resources: dict, kind: str) -> dict:
    docs = [doc for (k, _), doc in resources.items() if k == kind]
    assert len(docs) == 1, f"expected one {kind}, found {len(docs)}"
    return docs[0]


def container(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    containers = spec["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def pod_spec(workload: dict) -> dict:
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def mebibytes(quantity: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(quantity)).groups()
    factor = {"Mi": 1, "Gi": 1024, "M": 1e6 / 2**20, "G": 1e9 / 2**20, "": 1 / 2**20}[unit]
    return float(number) * factor


def mounts(workload: dict) -> dict[str, dict]:
    return {m["mountPath"]: m for m in container(workload)["volumeMounts"]}


def test_kustomization_lists_every_manifest(kustomization):
    listed = set(kustomization["resources"])
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present, f"not in kustomization.yaml: {present - listed}"
    assert kustomization["namespace"] == "datalk"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_manifest_is_valid_kubernetes(resources, version):
    for (kind, name), doc in resources.items():
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{kind}/{name} (Kubernetes {version}): {error.message}")


def test_deployment_serves_the_portal_on_the_pod_address(resources, kustomization):
    deployment = one(resources, "Deployment")
    portal = container(deployment)
    command = portal["command"]
    assert command[:2] == ["datalk", "serve"]
    assert command[command.index("--ip") + 1] == "0.0.0.0", "a pod must listen beyond loopback"
    port = int(command[command.index("--port") + 1])
    assert {p["name"]: p["containerPort"] for p in portal["ports"]} == {"http": port}
    images = {i["name"] for i in kustomization["images"]}
    assert portal["image"] in images, "kustomization.yaml must name the image to deploy"


def test_probes_ask_healthz(resources):
    portal = container(one(resources, "Deployment"))
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = portal[probe]["httpGet"]
        assert check["path"] == "/healthz" and check["port"] == "http", probe


def test_resources_follow_the_measured_memory(resources):
    """Limits set; the autoscaler adds pods before they reach their request and limit."""
    deployment = one(resources, "Deployment")
    res = container(deployment)["resources"]
    assert {"cpu", "memory"} <= set(res["requests"]) and {"cpu", "memory"} <= set(res["limits"])
    request, limit = mebibytes(res["requests"]["memory"]), mebibytes(res["limits"]["memory"])
    # docs/scaling.md: server ~350 MB + ~270 MB RSS per live session; at least 8 per pod.
    assert request <= limit and (limit - 350) / 270 >= 8
    hpa = one(resources, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2
    metrics = {m["resource"]["name"]: m["resource"]["target"] for m in hpa["spec"]["metrics"]}
    assert mebibytes(metrics["memory"]["averageValue"]) < request
    assert "cpu" in metrics
    # Scaling down cuts visitors off their kernels: not faster than the kernels are culled.
    culled = json.loads((REPO / "voila.json").read_text())["MappingKernelManager"]
    scale_down = hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"]
    assert scale_down > culled["cull_idle_timeout"]


def test_pods_run_unprivileged_with_a_read_only_root(resources):
    for kind in ("Deployment", "CronJob"):
        workload = one(resources, kind)
        assert pod_spec(workload)["securityContext"]["runAsNonRoot"] is True
        context = container(workload)["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert "/tmp" in mounts(workload), f"{kind}: kernels need a writable /tmp"


def test_ingress_keeps_each_visitor_on_the_pod_with_their_kernel(resources):
    ingresses = [doc for (kind, _), doc in resources.items() if kind == "Ingress"]
    public = next(i for i in ingresses if i["metadata"]["name"] == "datalk-portal")
    notes = public["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    # "balanced" would move sessions to new pods when the autoscaler adds some.
    assert notes[prefix + "affinity-mode"] == "persistent"
    assert notes[prefix + "session-cookie-name"] == COOKIE
    assert notes[prefix + "session-cookie-path"] == "/"
    # An open page keeps its kernel websocket; ingress-nginx closes idle ones after 60 s.
    for timeout in ("proxy-read-timeout", "proxy-send-timeout"):
        assert int(notes[prefix + timeout]) >= 3600, timeout
    service = one(resources, "Service")
    backend = public["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
    labels = one(resources, "Deployment")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"

    private = next(i for i in ingresses if i["metadata"]["name"] == "datalk-private")
    assert private["metadata"]["annotations"][prefix + "denylist-source-range"] == "0.0.0.0/0,::/0"
    closed = {p["path"] for p in private["spec"]["rules"][0]["http"]["paths"]}
    assert {"/voila/query", "/api/kernels"} <= closed


def test_cronjob_refreshes_data_static_pages_and_catalogue(resources):
    cronjob = one(resources, "CronJob")
    refresh = container(cronjob)
    script = " ".join(refresh["command"][2:]) if refresh["command"][:2] == ["/bin/sh", "-c"] else ""
    steps = [shlex.split(step)[:3] for step in script.split("&&")]
    assert steps == [
        ["datalk", "data", "fetch"],
        ["datalk", "site", "prerender"],
        ["datalk", "catalog", "build"],
    ], f"fetch && prerender && catalog build, each only after the previous one succeeded: {script}"
    assert "--all" in script.split("&&")[0]
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    portal = one(resources, "Deployment")
    assert refresh["image"] == container(portal)["image"]
    # The job writes where the pods read: the same volume and paths.
    for path, mount in mounts(portal).items():
        if mount["name"] == "data":
            assert mounts(cronjob)[path]["subPath"] == mount["subPath"], path


def test_pods_share_one_voila_json_and_the_cache_volume(resources):
    config = resources[("ConfigMap", "datalk-voila")]
    assert json.loads(config["data"]["voila.json"]) == json.loads((REPO / "voila.json").read_text())
    env = resources[("ConfigMap", "datalk-env")]["data"]
    deployment = one(resources, "Deployment")
    assert mounts(deployment)[f"{env['DATALK_ROOT']}/voila.json"]["subPath"] == "voila.json"
    assert mounts(deployment)[env["DATALK_CACHE"]]["name"] == "data"
    claim = resources[("PersistentVolumeClaim", "datalk-data")]
    assert "ReadWriteMany" in claim["spec"]["accessModes"], "pods on several nodes share it"


def test_containerfile_builds_the_image_the_manifests_run(resources, kustomization):
    text = CONTAINERFILE.read_text()
    instructions = [line for line in text.splitlines() if line and not line.startswith("#")]
    cmd = json.loads(next(line for line in instructions if line.startswith("CMD "))[4:])
    assert cmd[:2] == ["datalk", "serve"] and "0.0.0.0" in cmd
    assert "EXPOSE 8866" in instructions
    user = next(line for line in instructions if line.startswith("USER ")).split()[1]
    deployment = one(resources, "Deployment")
    assert int(user.split(":")[0]) == pod_spec(deployment)["securityContext"]["runAsUser"]
    env = resources[("ConfigMap", "datalk-env")]["data"]
    assert f"DATALK_CACHE={env['DATALK_CACHE']}" in text
    image = kustomization["images"][0]
    assert f"{image['newName']}:" in text, "the build command in the Containerfile names the image"
