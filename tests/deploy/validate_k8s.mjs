// Validates the Kubernetes manifests of deploy/k8s against the Kubernetes
// API schemas of the npm package kubernetes-models, plus what a schema
// cannot see. Run by validate_k8s.sh (which installs the packages).
//
//   node validate_k8s.mjs DIR
//
// Checks, for every document of every *.yaml in DIR except kustomization
// and yamllint settings:
//   1. the schema (types, required fields, enums, formats): Model.validate();
//   2. unknown fields (a typo such as `replicass` passes the schema, which
//      allows extra properties): every key must be a property of the
//      object's type, read from the package's TypeScript declarations;
//   3. references between objects: Deployment/Job selectors match their pod
//      labels, Services select pods of a Deployment and target named ports
//      that exist, probes use a container port, secretKeyRef/configMapRef
//      name objects (and keys) defined here, HPAs and PDBs target existing
//      Deployments;
//   4. our conventions: non-root, read-only root filesystem, no privilege
//      escalation, requests and limits, gRPC readiness ("") and liveness
//      ("liveness") probes, terminationGracePeriodSeconds above the 10 s
//      drain grace;
//   5. kustomization.yaml lists exactly the manifest files.
// Prints one line per problem; exit 1 when there is any, 0 otherwise.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node validate_k8s.mjs DIR");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const problems = [];
const problem = (where, msg) => problems.push(`${where}: ${msg}`);

// --- 2. property names per type, from the TypeScript declarations ----------
// interfaces: alias name (IIoK8s...) and local name -> {prop: typeText}
const interfaces = new Map();
function indexDeclarations(root) {
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".d.ts")) indexFile(p);
    }
  };
  walk(root);
}
function indexFile(file) {
  const text = fs.readFileSync(file, "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
  const local = new Map();
  const re = /export interface (\w+)(?: extends [\w, ]+)? \{([\s\S]*?)\n\}/g;
  for (let m; (m = re.exec(text)); ) {
    const props = {};
    // Top-level members only: "name"?: type; (nested literal types are
    // kept whole and treated as free-form).
    let depth = 0, cur = "";
    for (const ch of m[2]) {
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      if (ch === ";" && depth === 0) {
        const pm = /^\s*"([^"]+)"\??:\s*([\s\S]*)$/.exec(cur);
        if (pm) props[pm[1]] = pm[2].trim();
        cur = "";
      } else {
        cur += ch;
      }
    }
    local.set(m[1], props);
    interfaces.set(m[1] + "@" + file, props);
  }
  const alias = /export type \{ (\w+) as (\w+)/g;
  for (let m; (m = alias.exec(text)); ) {
    if (local.has(m[1])) interfaces.set(m[2], local.get(m[1]));
  }
  return local;
}
const modelsRoot = path.dirname(require.resolve("kubernetes-models/package.json"));
const apimachineryRoot = path.dirname(
  require.resolve("@kubernetes-models/apimachinery/package.json"));
indexDeclarations(modelsRoot);
indexDeclarations(apimachineryRoot);

// The interface a type text names, when it is one we know (else null: a
// scalar, a map, an enum or IntOrString -- not checked further).
function namedType(typeText) {
  const t = typeText.replace(/\s/g, "");
  const arr = /^Array<(\w+)>$/.exec(t);
  const name = arr ? arr[1] : t;
  return interfaces.has(name) ? { props: interfaces.get(name), array: !!arr } : null;
}

function checkFields(where, value, props, at) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (!(key in props)) {
      problem(where, `${at}/${key}: unknown field`);
      continue;
    }
    const t = namedType(props[key]);
    if (!t) continue;
    if (t.array) {
      if (Array.isArray(v)) v.forEach((item, i) => checkFields(where, item, t.props, `${at}/${key}/${i}`));
    } else {
      checkFields(where, v, t.props, `${at}/${key}`);
    }
  }
}

function topLevelProps(apiVersion, kind) {
  const file = path.join(modelsRoot, apiVersion, `${kind}.d.ts`);
  if (!fs.existsSync(file)) return null;
  for (const [key, props] of interfaces) {
    if (key === `I${kind}@${file}`) return props;
  }
  return null;
}

// --- 1. schema validation ------------------------------------------------------
async function schemaCheck(where, doc) {
  let mod;
  try {
    mod = await import(`kubernetes-models/${doc.apiVersion}`);
  } catch {
    problem(where, `unknown apiVersion ${doc.apiVersion}`);
    return false;
  }
  const Model = mod[doc.kind];
  if (!Model) {
    problem(where, `unknown kind ${doc.kind} in ${doc.apiVersion}`);
    return false;
  }
  try {
    new Model(doc).validate();
  } catch (e) {
    problem(where, `schema: ${e.message}`);
  }
  const props = topLevelProps(doc.apiVersion, doc.kind);
  if (props) checkFields(where, doc, props, "");
  else problem(where, `no type declarations for ${doc.apiVersion} ${doc.kind}`);
  return true;
}

// --- load ------------------------------------------------------------------------
const skip = new Set(["kustomization.yaml", "yamllint.yaml"]);
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yaml") && !skip.has(f)).sort();
const objects = [];
for (const file of files) {
  const docs = parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"), { uniqueKeys: true });
  docs.forEach((d, i) => {
    const where = `${file}#${i + 1}`;
    if (d.errors.length) {
      d.errors.forEach((e) => problem(where, `YAML: ${e.message.split("\n")[0]}`));
      return;
    }
    const obj = d.toJS();
    if (obj === null) return;
    if (typeof obj !== "object" || !obj.apiVersion || !obj.kind) {
      problem(where, "not a Kubernetes object (apiVersion and kind are required)");
      return;
    }
    objects.push({ where: `${where} ${obj.kind}/${obj.metadata?.name}`, obj, file });
  });
}
for (const { where, obj } of objects) await schemaCheck(where, obj);

// --- 3 and 4. references and conventions --------------------------------------
const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
const find = (kind, name) => byKind(kind).find((o) => o.obj.metadata?.name === name);
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);

function checkPod(where, podSpec, { workload }) {
  const sc = podSpec.securityContext ?? {};
  if (sc.runAsNonRoot !== true) problem(where, "pod securityContext.runAsNonRoot must be true");
  if (!(sc.runAsUser > 0)) problem(where, "pod securityContext.runAsUser must be a non-root UID");
  if (workload === "Deployment" && !((podSpec.terminationGracePeriodSeconds ?? 30) > 10)) {
    problem(where, "terminationGracePeriodSeconds must exceed the 10 s drain grace");
  }
  const volumes = new Set((podSpec.volumes ?? []).map((v) => v.name));
  for (const c of podSpec.containers ?? []) {
    const at = `${where} container ${c.name}`;
    const csc = c.securityContext ?? {};
    if (csc.readOnlyRootFilesystem !== true) problem(at, "readOnlyRootFilesystem must be true");
    if (csc.allowPrivilegeEscalation !== false) problem(at, "allowPrivilegeEscalation must be false");
    if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory ||
        !c.resources?.limits?.cpu || !c.resources?.limits?.memory) {
      problem(at, "needs cpu and memory requests and limits");
    }
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problem(at, `volumeMount ${m.name}: no such volume`);
    }
    for (const e of c.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
      if (!ref) continue;
      const kind = e.valueFrom.secretKeyRef ? "Secret" : "ConfigMap";
      const target = find(kind, ref.name);
      if (!target) {
        problem(at, `env ${e.name}: ${kind} ${ref.name} is not defined`);
      } else {
        const data = { ...target.obj.data, ...target.obj.stringData };
        if (!(ref.key in data)) problem(at, `env ${e.name}: ${kind} ${ref.name} has no key ${ref.key}`);
      }
    }
    for (const ef of c.envFrom ?? []) {
      const ref = ef.configMapRef ?? ef.secretRef;
      const kind = ef.configMapRef ? "ConfigMap" : "Secret";
      if (ref && !find(kind, ref.name)) problem(at, `envFrom: ${kind} ${ref.name} is not defined`);
    }
    if (workload !== "Deployment") continue;
    const ports = new Map((c.ports ?? []).map((p) => [p.containerPort, p.name]));
    const ready = c.readinessProbe?.grpc;
    const live = c.livenessProbe?.grpc;
    if (!ready || !ports.has(ready.port) || (ready.service ?? "") !== "") {
      problem(at, 'readinessProbe must be grpc on the container port with service ""');
    }
    if (!live || !ports.has(live.port) || live.service !== "liveness") {
      problem(at, 'livenessProbe must be grpc on the container port with service "liveness"');
    }
  }
}

for (const { where, obj } of [...byKind("Deployment"), ...byKind("Job")]) {
  const tpl = obj.spec?.template ?? {};
  const sel = obj.spec?.selector?.matchLabels;
  if (obj.kind === "Deployment" && !matches(sel, tpl.metadata?.labels)) {
    problem(where, "spec.selector.matchLabels does not match the pod template labels");
  }
  checkPod(where, tpl.spec ?? {}, { workload: obj.kind });
}

for (const { where, obj } of byKind("Service")) {
  const targets = byKind("Deployment").filter((d) =>
    matches(obj.spec?.selector, d.obj.spec?.template?.metadata?.labels));
  if (!obj.spec?.selector || targets.length === 0) {
    problem(where, "selects no Deployment's pods");
    continue;
  }
  for (const p of obj.spec.ports ?? []) {
    for (const d of targets) {
      const cports = (d.obj.spec.template.spec.containers ?? []).flatMap((c) => c.ports ?? []);
      const ok = typeof p.targetPort === "string"
        ? cports.some((cp) => cp.name === p.targetPort)
        : cports.some((cp) => cp.containerPort === (p.targetPort ?? p.port));
      if (!ok) problem(where, `port ${p.name ?? p.port}: target ${p.targetPort ?? p.port} is not a port of ${d.obj.metadata.name}`);
    }
  }
}

for (const { where, obj } of byKind("HorizontalPodAutoscaler")) {
  const ref = obj.spec?.scaleTargetRef ?? {};
  if (ref.kind !== "Deployment" || !find("Deployment", ref.name)) {
    problem(where, `scaleTargetRef ${ref.kind}/${ref.name} is not a Deployment defined here`);
  }
  if (obj.spec?.minReplicas > obj.spec?.maxReplicas) problem(where, "minReplicas > maxReplicas");
}
for (const { where, obj } of byKind("PodDisruptionBudget")) {
  const sel = obj.spec?.selector?.matchLabels;
  if (!byKind("Deployment").some((d) => matches(sel, d.obj.spec?.template?.metadata?.labels))) {
    problem(where, "selects no Deployment's pods");
  }
}

// --- 5. kustomization --------------------------------------------------------------
const kfile = path.join(dir, "kustomization.yaml");
if (fs.existsSync(kfile)) {
  const k = parseAllDocuments(fs.readFileSync(kfile, "utf8"))[0].toJS();
  const listed = new Set(k.resources ?? []);
  for (const f of files) if (!listed.has(f)) problem("kustomization.yaml", `does not list ${f}`);
  for (const f of listed) if (!files.includes(f)) problem("kustomization.yaml", `lists missing ${f}`);
  const images = new Set(objects.flatMap(({ obj }) =>
    (obj.spec?.template?.spec?.containers ?? []).map((c) => c.image.replace(/:[^:/]*$/, ""))));
  for (const img of k.images ?? []) {
    if (!images.has(img.name)) problem("kustomization.yaml", `image ${img.name} is used by no container`);
  }
}

for (const p of problems) console.log(`FAIL ${p}`);
console.log(`${objects.length} objects in ${files.length} files: ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
