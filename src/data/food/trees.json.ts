// Loader shim: food/trees.json from the content-addressed pipeline run (data-loaders/artifacts.ts).
import { emitArtifact } from "../../../data-loaders/artifacts.js";

await emitArtifact("food/trees.json");
