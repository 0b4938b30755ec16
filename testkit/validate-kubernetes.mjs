// Validates Kubernetes manifests offline against the Kubernetes API schemas (kubernetes-models): reads
// YAML documents (kustomize output) on stdin, prints {"documents": [...], "errors": [...]} as JSON, and
// exits 1 when any document does not validate or has no schema (an unknown apiVersion/kind fails closed).
import { parseAllDocuments } from "yaml";

const text = await new Promise((resolve, reject) => {
  let data = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
  process.stdin.on("error", reject);
});

const documents = [];
const errors = [];
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length > 0) {
    errors.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj == null) {
    continue;
  }
  const what = `${obj.apiVersion}/${obj.kind} ${obj.metadata?.name ?? "(no name)"}`;
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string" || !/^[A-Za-z0-9./]+$/.test(obj.apiVersion + obj.kind)) {
    errors.push(`${what}: no apiVersion/kind`);
    continue;
  }
  let Model;
  try {
    Model = (await import(`kubernetes-models/${obj.apiVersion}/${obj.kind}`))[obj.kind];
  } catch (e) {
    errors.push(`${what}: no schema for this apiVersion and kind`);
    continue;
  }
  try {
    new Model(obj).validate();
    documents.push(obj);
  } catch (e) {
    errors.push(`${what}: ${e.message}`);
  }
}
process.stdout.write(JSON.stringify({ documents, errors }));
process.exitCode = errors.length > 0 ? 1 : 0;
