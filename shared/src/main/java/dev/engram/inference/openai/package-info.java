/**
 * The OpenAI chat-completions wire format (snake_case JSON), shared by the server surface
 * ({@code dev.engram.tasks.openai}) and the remote engine's client ({@code dev.engram.inference.remote}).
 */
package dev.engram.inference.openai;
