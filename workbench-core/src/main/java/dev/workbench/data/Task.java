package dev.workbench.data;

/** What the labels are: classes to predict or numbers to regress. */
public enum Task {
    CLASSIFICATION, REGRESSION
}
