namespace Billing.Silo.Storage;

/// <summary>Which database the silo uses (section <c>Billing</c>, plus <c>ConnectionStrings:Billing</c>).</summary>
public sealed class StorageOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (the embedded default) or <c>postgres</c>.</summary>
    public string Storage { get; set; } = Sqlite;

    /// <summary>For PostgreSQL, required; for SQLite, defaults to a file under ./data.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => Storage == Postgres;

    public static string DefaultSqliteConnectionString => "Data Source=" + Path.Combine("data", "billing.db");

    public IEnumerable<string> Validate()
    {
        if (Storage is not (Sqlite or Postgres))
        {
            yield return $"Billing:Storage must be '{Sqlite}' or '{Postgres}', not '{Storage}'.";
        }
        else if (Storage == Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "Billing:Storage is 'postgres' but ConnectionStrings:Billing is empty.";
        }
    }
}
