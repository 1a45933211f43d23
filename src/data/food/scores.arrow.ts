// Loader shim: food/scores.arrow from the content-addressed pipeline run (data-loaders/artifacts.ts).
import { emitArtifact } from "../../../data-loaders/artifacts.js";

await emitArtifact("food/scores.arrow");
