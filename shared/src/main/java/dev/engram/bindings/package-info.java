/**
 * What the Funqy bindings other than plain HTTP need from Engram: CloudEvents (Knative Eventing)
 * correlation, structured mode and error events. Lambda (direct and SQS batches) and Google Cloud
 * Functions are served by Funqy's own extensions; see docs/triggers.md.
 */
package dev.engram.bindings;
