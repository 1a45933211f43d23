// Loader shim: telco/nudges.arrow from the content-addressed pipeline run (data-loaders/artifacts.ts).
import { emitArtifact } from "../../../data-loaders/artifacts.js";

await emitArtifact("telco/nudges.arrow");
