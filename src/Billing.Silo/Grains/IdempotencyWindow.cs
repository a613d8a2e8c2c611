using Billing.Silo.Metering;
namespace Billing.Silo.Grains;

/// <summary>
/// The idempotency keys a subscription grain has seen since it activated, bounded: the oldest
/// are forgotten first (storage still knows them: keys are unique per shop for good). An entry is
/// added before the first await of its request, so a concurrent retry waits for the first answer.
/// </summary>
internal sealed class IdempotencyWindow(int capacity)
{
    private readonly Dictionary<(string Shop, string Key), Answer> answers = [];
    private readonly Queue<((string Shop, string Key) Key, Answer Answer)> age = new();

    public sealed class Answer(string? requestHash)
    {
        private readonly TaskCompletionSource<ConsumeResult> result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The body hash of the request that owns the key (the stored one, once storage has been asked).</summary>
        public string? RequestHash { get; set; } = requestHash;

        public Task<ConsumeResult> Outcome => result.Task;

        public void Complete(ConsumeResult outcome) => result.TrySetResult(outcome);

        public void Fail(Exception error) => result.TrySetException(error);
    }

    public bool TryGet(string shopId, string key, out Answer answer) => answers.TryGetValue((shopId, key), out answer!);

    public Answer Begin(string shopId, string key, string? requestHash)
    {
        // The queue holds every live entry (and some forgotten ones), so trimming it to capacity bounds both.
        while (age.Count >= capacity && age.TryDequeue(out var oldest))
        {
            if (answers.TryGetValue(oldest.Key, out var current) && ReferenceEquals(current, oldest.Answer))
            {
                answers.Remove(oldest.Key);
            }
        }

        var answer = new Answer(requestHash);
        answers[(shopId, key)] = answer;
        age.Enqueue(((shopId, key), answer));
        return answer;
    }

    /// <summary>Forgets a key whose request was not accepted: a retry after a top-up may go through.</summary>
    public void Forget(string shopId, string key, Answer answer)
    {
        if (answers.TryGetValue((shopId, key), out var current) && ReferenceEquals(current, answer))
        {
            answers.Remove((shopId, key));
        }
    }
}
