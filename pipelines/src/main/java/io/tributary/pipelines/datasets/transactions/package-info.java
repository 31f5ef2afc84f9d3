/**
 * The bank transactions dataset: spend per category ({@link
 * io.tributary.pipelines.datasets.transactions.ComputeCategorySpend}) and alerts ({@link
 * io.tributary.pipelines.datasets.transactions.FlagSuspiciousTransactions}), with its own options
 * ({@link io.tributary.pipelines.datasets.transactions.TransactionsOptions}), plugged in by {@link
 * io.tributary.pipelines.datasets.transactions.TransactionsGoldViews}.
 */
package io.tributary.pipelines.datasets.transactions;
