/**
 * The REST API: {@code POST /orders}, {@code GET /orders/{id}}, {@code GET /inventory/{sku}},
 * {@code GET /accounts/{customer}}, and their errors as RFC 9457 problem details.
 */
package dev.reversible.demo.web;
