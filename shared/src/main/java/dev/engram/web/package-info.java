/**
 * The HTTP surface every function shares: authentication of each request ({@link dev.engram.web.AuthRoutes}),
 * CloudEvents (Knative Eventing: correlation, structured mode), every error answer in its three formats
 * ({@link dev.engram.web.ErrorResponses}: Engram's JSON, OpenAI's, CloudEvent error events) and the order
 * of all routes ({@link dev.engram.web.RouteOrder}). Lambda (direct and SQS batches) and Google Cloud
 * Functions are served by Funqy's own extensions; see docs/triggers.md.
 */
package dev.engram.web;
