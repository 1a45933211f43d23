// Loader shim: food/metrics.json from the content-addressed pipeline run (data-loaders/artifacts.ts).
import { emitArtifact } from "../../../data-loaders/artifacts.js";

await emitArtifact("food/metrics.json");
