-- The Merkle tree over the log (RFC 9162 §2.1; docs/hash-chain.md), created in its
-- generation's schema (SET search_path = shido_views_tree_g<N> first), in tiles: the hash of
-- every complete subtree whose level is a multiple of 4 (4, 8, 12, …), so one row per 16
-- nodes of the level below. Node (level, index) covers the 2^level leaves from
-- index * 2^level; leaf i is the event at position i + 1, hashed as sha256(0x00 || its chain
-- hash) (read from shido.events, not stored here); a node above is sha256(0x01 || left ||
-- right). Rows are only ever added, as the log grows.
CREATE TABLE tree_nodes (
    level  smallint NOT NULL CHECK (level > 0 AND level % 4 = 0),
    index  bigint   NOT NULL CHECK (index >= 0),
    hash   bytea    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, index)
);
