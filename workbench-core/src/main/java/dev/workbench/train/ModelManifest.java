package dev.workbench.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a saved model is, stored inside its zip as {@value ModelArchive#MANIFEST_ENTRY}, so loading reads it
 * instead of guessing from the DL4J configuration.
 *
 * @param kind      how the file holds the model: {@code MultiLayerNetwork}, {@code ComputationGraph}, or a
 *                  family's own kind when it trains several networks
 * @param objective the training objective's name ({@code classification}, {@code reconstruction}, ...)
 */
public record ModelManifest(@JsonProperty("format_version") int formatVersion, String kind, String family,
                            String architecture, String objective) {
    /** The manifest layout this workbench writes and reads. */
    public static final int FORMAT_VERSION = 1;
}
