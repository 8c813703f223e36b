package io.sextant.collector.remediation;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The actions of this collector run, newest kept: at most {@code capacity}; beyond it the oldest
 * finished actions are forgotten (the audit journal keeps their history). Pending and running
 * actions are never forgotten.
 *
 * <p>Threads: changes come from the remediation control thread (new actions), HTTP threads
 * (approve, reject), worker threads (running, results) and the analysis thread (approval timeouts);
 * each change replaces the action's immutable snapshot atomically, so two threads can never both
 * move an action out of the same state. Readers on any thread see snapshots.
 */
final class ActionLog
{
    private final int capacity;
    private final ConcurrentHashMap<String, Action> byId = new ConcurrentHashMap<>();
    private final ArrayDeque<String> order = new ArrayDeque<>();

    ActionLog(final int capacity)
    {
        this.capacity = capacity;
    }

    synchronized void add(final Action action)
    {
        byId.put(action.id(), action);
        order.addLast(action.id());
        if (order.size() > capacity)
        {
            final Iterator<String> it = order.iterator();
            while (order.size() > capacity && it.hasNext())
            {
                final String id = it.next();
                final Action a = byId.get(id);
                if (a == null || a.state().terminal())
                {
                    it.remove();
                    byId.remove(id);
                }
            }
        }
    }

    Action get(final String id)
    {
        return byId.get(id);
    }

    /**
     * Moves an action on, when it is in one of {@code from}.
     *
     * @return the new snapshot, or null when the action is unknown or in another state.
     */
    Action transition(final String id, final Set<ActionState> from, final UnaryOperator<Action> change)
    {
        final Action[] out = new Action[1];
        byId.computeIfPresent(id, (k, a) ->
        {
            if (!from.contains(a.state()))
            {
                return a;
            }
            out[0] = change.apply(a);
            return out[0];
        });
        return out[0];
    }

    /** @return matching actions, newest first, at most {@code limit}. */
    List<Action> find(final Predicate<Action> filter, final int limit)
    {
        final List<Action> out = new ArrayList<>();
        for (final Action a : byId.values())
        {
            if (filter.test(a))
            {
                out.add(a);
            }
        }
        out.sort(Comparator.comparingLong(Action::createdMillis).reversed().thenComparing(Action::id,
            Comparator.reverseOrder()));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    int size()
    {
        return byId.size();
    }
}
